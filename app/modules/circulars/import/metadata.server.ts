/**
 * The optional metadata CSV of an import: one row per file with number, title, department code, dates,
 * themes, status, summary and responsible person. Column names may be Dutch or English; the delimiter
 * may be "," or ";" (what Excel writes on Belgian machines); dates may be 2026-03-01 or 1/3/2026.
 */
import { parse } from "csv-parse/sync";
import { parseCircularNumber } from "../numbering.server";

export type MetadataRow = {
  line: number;
  file: string;
  number?: string;
  title?: string;
  departmentCode?: string;
  validFrom?: string;
  validUntil?: string;
  reviewDate?: string;
  themes: string[];
  status?: "draft" | "published";
  summary?: string;
  responsible?: string;
};

export type Metadata = {
  /** Rows by lower-case file name. */
  rows: Map<string, MetadataRow>;
  /** Rows that could not be used, with the reason (their file is not imported). */
  problems: Map<string, string>;
  /** Problems that belong to no file (a missing file column, an unreadable CSV). */
  errors: string[];
};

const COLUMN_ALIASES: Record<string, keyof Omit<MetadataRow, "line">> = {
  file: "file",
  bestand: "file",
  filename: "file",
  bestandsnaam: "file",
  number: "number",
  nummer: "number",
  title: "title",
  titel: "title",
  department: "departmentCode",
  department_code: "departmentCode",
  dienst: "departmentCode",
  afdeling: "departmentCode",
  valid_from: "validFrom",
  geldig_vanaf: "validFrom",
  ingangsdatum: "validFrom",
  valid_until: "validUntil",
  geldig_tot: "validUntil",
  einddatum: "validUntil",
  review_date: "reviewDate",
  herzieningsdatum: "reviewDate",
  herziening: "reviewDate",
  themes: "themes",
  themas: "themes",
  thema: "themes",
  status: "status",
  summary: "summary",
  samenvatting: "summary",
  responsible: "responsible",
  verantwoordelijke: "responsible",
};

const STATUS_ALIASES: Record<string, "draft" | "published"> = {
  draft: "draft",
  ontwerp: "draft",
  concept: "draft",
  published: "published",
  gepubliceerd: "published",
  actief: "published",
};

function columnKey(header: string): string {
  return header
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/** "2026-03-01", "1/3/2026", "01-03-2026" or "1.3.2026" as an ISO day; null when it is no real date. */
export function parseDay(value: string): string | null {
  const text = value.trim();
  let year: number, month: number, day: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text)))
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return date.toISOString().slice(0, 10);
}

/** Parses the CSV text; never throws (problems are reported per row). */
export function parseMetadataCsv(text: string): Metadata {
  const result: Metadata = { rows: new Map(), problems: new Map(), errors: [] };
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    });
  } catch (error) {
    result.errors.push(`metadata CSV cannot be read: ${(error as Error).message}`);
    return result;
  }
  const [header, ...body] = records;
  if (!header) return result;
  const columns = header.map((name) => COLUMN_ALIASES[columnKey(name)] ?? null);
  const unknown = header.filter((_, index) => columns[index] === null);
  if (unknown.length) result.errors.push(`metadata CSV: unknown columns ignored: ${unknown.join(", ")}`);
  if (!columns.includes("file")) {
    result.errors.push('metadata CSV needs a "bestand" (or "file") column naming each file');
    return result;
  }
  body.forEach((record, index) => {
    const line = index + 2;
    const raw: Partial<Record<keyof MetadataRow, string>> = {};
    columns.forEach((key, column) => {
      const value = record[column]?.trim();
      if (key && value) raw[key] = value;
    });
    const file = raw.file;
    if (!file) {
      result.errors.push(`metadata CSV line ${line}: no file name`);
      return;
    }
    const problems: string[] = [];
    const row: MetadataRow = { line, file, themes: [] };
    if (raw.number) {
      if (parseCircularNumber(raw.number)) row.number = raw.number.trim();
      else problems.push(`number "${raw.number}" is not like 2026/017`);
    }
    if (raw.title) row.title = raw.title;
    if (raw.departmentCode) row.departmentCode = raw.departmentCode;
    for (const key of ["validFrom", "validUntil", "reviewDate"] as const) {
      const value = raw[key];
      if (!value) continue;
      const day = parseDay(value);
      if (day) row[key] = day;
      else problems.push(`${key} "${value}" is not a valid date (use 2026-03-01 or 1/3/2026)`);
    }
    if (raw.themes)
      row.themes = raw.themes
        .split(/[;,|]/)
        .map((slug) => slug.trim())
        .filter(Boolean);
    if (raw.status) {
      const status = STATUS_ALIASES[raw.status.toLowerCase()];
      if (status) row.status = status;
      else problems.push(`status "${raw.status}" must be draft or published`);
    }
    if (raw.summary) row.summary = raw.summary;
    if (raw.responsible) row.responsible = raw.responsible;
    const key = file.toLowerCase();
    if (result.rows.has(key) || result.problems.has(key)) {
      result.problems.set(key, `metadata CSV line ${line}: ${file} is listed twice`);
      result.rows.delete(key);
      return;
    }
    if (problems.length) result.problems.set(key, `metadata CSV line ${line}: ${problems.join("; ")}`);
    else result.rows.set(key, row);
  });
  return result;
}
