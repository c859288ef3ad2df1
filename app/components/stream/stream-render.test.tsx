/**
 * Server rendering of the stream components with Remix's router hooks replaced by plain elements: what
 * the HTML says before JavaScript loads (forms with intent and CSRF, aria-pressed, the article's name,
 * the "Oudere berichten" link, placeholders for deleted comments) and that none of it crashes.
 */
import { createInstance } from "i18next";
import { type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { i18nConfig } from "~/i18n/config";

type AnyProps = Record<string, unknown> & { children?: ReactNode };

vi.mock("@remix-run/react", () => {
  const Form = ({ children, method, action, className }: AnyProps) => (
    <form method={method as string} action={action as string} className={className as string}>
      {children}
    </form>
  );
  const Link = ({ children, to, className }: AnyProps) => (
    <a href={to as string} className={className as string}>
      {children}
    </a>
  );
  return {
    Form,
    Link,
    useFetcher: () => ({ Form, state: "idle", data: undefined, formData: undefined, load: () => undefined }),
    useLocation: () => ({ pathname: "/", search: "", hash: "" }),
    useMatches: () => [{ id: "root" }, { id: "routes/_index" }],
    useRevalidator: () => ({ state: "idle", revalidate: () => undefined }),
    useRouteLoaderData: () => ({
      csrfToken: "token-123",
      user: { id: "me", displayName: "Ik", roles: ["employee"], unreadNotifications: 0 },
    }),
  };
});

const { PostCard } = await import("./post-card");
const { StreamList } = await import("./stream-list");
const { CommentThreadList } = await import("./comment-thread");

const i18n = createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng: "nl" });
});

const render = (node: ReactNode) => renderToString(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

const person = (id: string, displayName: string) => ({
  id,
  displayName,
  jobTitle: "Wijkwerker",
  avatarUrl: null,
  url: `/mensen/${id}`,
});

const item = {
  id: "p1",
  url: "/berichten/p1",
  kind: "post" as const,
  author: person("u1", "Fatima El Amrani"),
  place: {
    id: "g1",
    slug: "brugse-poort",
    name: "Wijkwerking Brugse Poort",
    kind: "group" as const,
    url: "/groepen/brugse-poort",
  },
  createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  editedAt: new Date().toISOString(),
  pinned: false,
  pinnedUntil: null,
  counts: { comments: 2, reactions: 3 },
  myReaction: "thanks" as const,
  topics: [{ slug: "fietsen", name: "Fietsen", url: "/onderwerpen/fietsen" }],
  text: "Hallo",
  html: "<p>Hallo <strong>iedereen</strong></p>",
  hidden: null,
  shared: { available: false as const },
  images: [{ id: "i1", url: "/berichten/p1/fotos/i1", width: 800, height: 600, alt: "Een fiets" }],
};

describe("PostCard", () => {
  it("renders an article named by its byline, with no-JavaScript reaction forms", () => {
    const html = render(<PostCard post={item} returnTo="/" />);
    expect(html).toContain('<article id="bericht-p1"');
    expect(html).toContain('aria-labelledby="bericht-p1-titel"');
    expect(html).toMatch(/<h3 id="bericht-p1-titel"[^>]*><a href="\/mensen\/u1">Fatima El Amrani<\/a>/);
    expect(html).toContain('href="/groepen/brugse-poort"');
    expect(html).toContain("<p>Hallo <strong>iedereen</strong></p>");
    expect(html).toContain("bewerkt");
    // One form per reaction, posting to the post page with intent, type and the CSRF token.
    expect(html.match(/<form method="post" action="\/berichten\/p1"/g)?.length).toBe(5);
    expect(html).toContain('name="csrf" value="token-123"');
    expect(html).toMatch(/name="intent" value="unreact"\/><input type="hidden" name="type" value="thanks"/);
    expect(html.match(/aria-pressed="true"/g)?.length).toBe(1);
    expect(html).toContain("Bedankt");
    expect(html).toContain("3 waarderingen");
    expect(html).toContain("2 reacties");
    expect(html).toContain('width="800" height="600" loading="lazy"');
    expect(html).toContain('alt="Een fiets"');
    expect(html).toContain("Het gedeelde bericht is niet (meer) beschikbaar.");
    expect(html).toContain('href="/onderwerpen/fietsen"');
    // Not the reader's post: report and share, but no edit or delete.
    expect(html).toContain("Melden");
    expect(html).not.toContain("deletePost");
    expect(html).not.toContain("/bewerken");
  });

  it("offers the author edit and a confirmed delete, and shows a moderator's reason", () => {
    const own = { ...item, author: person("me", "Ik"), hidden: { reason: "Bevat een telefoonnummer" } };
    const html = render(<PostCard post={own} returnTo="/" />);
    expect(html).toContain('href="/berichten/p1/bewerken"');
    expect(html).toContain('name="intent" value="deletePost"');
    expect(html).toContain("Weet je zeker dat je dit bericht wilt verwijderen?");
    expect(html).toContain("Reden: Bevat een telefoonnummer");
    // A hidden post takes no reactions.
    expect(html.match(/disabled=""/g)?.length).toBe(5);
  });
});

describe("StreamList", () => {
  it("renders the feed with its name and a plain link to older posts", () => {
    const html = render(
      <StreamList
        page={{ items: [item], nextCursor: "abc.def", newestCursor: "n" }}
        label="Berichten voor jou"
        emptyMessage="Niets"
        returnTo="/"
      />,
    );
    expect(html).toContain('aria-label="Berichten voor jou"');
    expect(html).toContain('href="/?na=abc.def"');
    expect(html).toContain("Oudere berichten");
  });

  it("says so when there are no posts", () => {
    const html = render(
      <StreamList
        page={{ items: [], nextCursor: null, newestCursor: null }}
        label="x"
        emptyMessage="Nog niets"
        returnTo="/"
      />,
    );
    expect(html).toContain("Nog niets");
    expect(html).not.toContain("Oudere berichten");
  });
});

describe("CommentThreadList", () => {
  it("keeps a deleted comment as a placeholder above its replies and offers reply forms", () => {
    const comment = (id: string, overrides: Record<string, unknown> = {}) => ({
      id,
      parentId: null,
      state: "visible" as const,
      author: person("u2", "Jonas Peeters"),
      html: `<p>Reactie ${id}</p>`,
      createdAt: new Date().toISOString(),
      editedAt: null,
      hiddenReason: null,
      can: { edit: false, delete: false, reply: true, report: true, moderate: false },
      ...overrides,
    });
    const html = render(
      <CommentThreadList
        postId="p1"
        postUrl="/berichten/p1"
        returnTo="/berichten/p1"
        ownTexts={{}}
        limits={{ textMax: 2000, reasonMin: 5, reasonMax: 500 }}
        actionData={{
          ok: false,
          intent: "comment",
          target: "c2",
          error: "stream.comments.errors.empty",
          fieldErrors: { plainText: "stream.comments.errors.empty" },
          values: { plainText: "" },
        }}
        threads={[
          {
            ...comment("c1", {
              state: "deleted",
              author: null,
              html: "",
              can: { edit: false, delete: false, reply: false, report: false, moderate: false },
            }),
            replies: [
              comment("r1", {
                parentId: "c1",
                can: { edit: false, delete: false, reply: false, report: true, moderate: false },
              }),
            ],
            replyCount: 1,
          },
          { ...comment("c2"), replies: [], replyCount: 0 },
        ]}
      />,
    );
    expect(html).toContain("Deze reactie is verwijderd.");
    expect(html).toContain('id="reactie-r1"');
    expect(html).toContain("<p>Reactie r1</p>");
    expect(html).toContain('name="parentId" value="c2"');
    // The refused reply form opens again with its message tied to the field.
    expect(html).toMatch(/<details class="comment__disclosure" open="">\s*<summary>Antwoorden<\/summary>/);
    expect(html).toContain('aria-describedby="comment-c2-plainText-fout"');
    expect(html).toContain("Je reactie is leeg.");
  });
});
