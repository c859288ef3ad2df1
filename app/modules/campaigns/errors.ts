/**
 * The one error the campaigns module throws for a refused operation: nothing was saved. The message is English,
 * for logs and the API; pages turn `code` (and each issue's `code`) into a Dutch or English sentence.
 * Shared with the browser so pages can type their error codes. Suggested HTTP statuses: not_found 404,
 * forbidden 403, invalid 400, conflict 409, wrong_status 409, rate_limited 429.
 */
export const CAMPAIGN_ERROR_CODES = [
  /** The campaign (or message, story) does not exist, or the reader may not know it exists. */
  "not_found",
  /** The reader may know it exists but may not do this (an employee editing, the creator approving). */
  "forbidden",
  /** The input failed validation; `issues` lists each problem with its field. */
  "invalid",
  /** Something that must be unique already exists (a slug, a second answer) or was changed meanwhile. */
  "conflict",
  /** The campaign (or message, story) is in a status that does not allow this transition or change. */
  "wrong_status",
  /** Too many attempts in a short time; `retryAfterSeconds` says when to try again. */
  "rate_limited",
] as const;

export type CampaignErrorCode = (typeof CAMPAIGN_ERROR_CODES)[number];

/**
 * Codes of field problems, stable for translation (campaigns.errors.fields.<code> in the pages). `params`
 * carries the numbers a sentence needs ({ min, max }, { ratio }, { ids }).
 */
export const CAMPAIGN_ISSUE_CODES = [
  "required",
  "too_short",
  "too_long",
  "too_many",
  "invalid_format",
  "invalid_date",
  "ends_before_start",
  "in_the_past",
  "locked_while_running",
  "low_contrast",
  "invalid_hashtag",
  "unknown_departments",
  "not_a_communicator",
  "unknown_user",
  "invalid_value",
] as const;

export type CampaignIssueCode = (typeof CAMPAIGN_ISSUE_CODES)[number];

/** One problem with one field of a form ("name", "audience.departmentIds", "keyMessages.2"). */
export type CampaignIssue = {
  field: string;
  code: CampaignIssueCode;
  /** English, for logs and the API. */
  message: string;
  params?: Record<string, string | number>;
};

/** A refused campaigns operation: nothing was saved. */
export class CampaignError extends Error {
  readonly issues: CampaignIssue[];
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: CampaignErrorCode,
    message: string,
    options: { issues?: CampaignIssue[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "CampaignError";
    this.issues = options.issues ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Whether a value is a CampaignError (optionally with one of the given codes), also across module copies. */
export function isCampaignError(error: unknown, ...codes: CampaignErrorCode[]): error is CampaignError {
  const isOne =
    error instanceof CampaignError ||
    (error instanceof Error && error.name === "CampaignError" && "code" in error && "issues" in error);
  return isOne && (codes.length === 0 || codes.includes((error as CampaignError).code));
}

/** The subset of a zod issue this module reads (kept structural so the browser bundle needs no zod import). */
type ZodLikeIssue = {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * Turns zod's issues into field issues with stable codes. zod 4 leaves the input out of its issues, so the
 * parsed `input` is passed to tell a missing or blank value ("required") from a short one; `prefix` is put
 * before each path ("audience").
 */
export function issuesFromZod(
  issues: readonly ZodLikeIssue[],
  options: { input?: unknown; prefix?: string } = {},
): CampaignIssue[] {
  return issues.map((issue): CampaignIssue => {
    const field = [options.prefix ?? "", ...issue.path.map(String)].filter(Boolean).join(".");
    const base = { field, message: issue.message };
    const isArray = issue.origin === "array";
    const blank = !isArray && isBlank(valueAt(options.input, issue.path));
    if (blank && (issue.code === "too_small" || issue.code === "invalid_type"))
      return { ...base, code: "required" };
    if (issue.code === "too_small") {
      return { ...base, code: "too_short", params: { min: Number(issue.minimum ?? 0) } };
    }
    if (issue.code === "too_big") {
      return {
        ...base,
        code: isArray ? "too_many" : "too_long",
        params: { max: Number(issue.maximum ?? 0) },
      };
    }
    if (issue.code === "invalid_format") return { ...base, code: "invalid_format" };
    return { ...base, code: "invalid_value" };
  });
}
