/**
 * A static check over app/routes: every route module that exports an `action` must check the CSRF token
 * (`readCsrfCheckedForm(request)` or `assertCsrf(request, …)`), in the action itself or in a function of
 * the same module that the action calls. A new route that forgets it fails here, before review.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROUTES_DIR = path.resolve(import.meta.dirname, "../../app/routes");
const APP_DIR = path.resolve(ROUTES_DIR, "..");
// readPostSubmission (app/modules/stream/post-images.server.ts) reads the composer's multipart form and
// checks the token before anything is kept; its own tests prove it refuses a missing or wrong token.
const CSRF_CHECKS = new Set(["readCsrfCheckedForm", "assertCsrf", "readPostSubmission"]);

/** The source of a "~/..." module, for following a re-exported action; null for anything else. */
function readAppModule(specifier: string): { fileName: string; source: string } | null {
  if (!specifier.startsWith("~/")) return null;
  for (const extension of [".ts", ".tsx"]) {
    const fileName = path.join(APP_DIR, specifier.slice(2) + extension);
    if (fs.existsSync(fileName)) return { fileName, source: fs.readFileSync(fileName, "utf8") };
  }
  return null;
}

type Verdict = { exportsAction: boolean; problem?: string };

/** Name of the function a call expression calls (`f(...)`, `await f(...)`, `ns.f(...)`). */
function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

const hasExportModifier = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Inspects one module's source. */
function checkRouteSource(
  fileName: string,
  source: string,
  exportName = "action",
  resolve: typeof readAppModule = () => null,
): Verdict {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);

  // Module-level functions (declarations and const arrows/function expressions) by name.
  const functions = new Map<string, ts.Node>();
  let exported: { local?: string; reexportedFrom?: string; importedName?: string } | undefined;
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      functions.set(statement.name.text, statement);
      if (statement.name.text === exportName && hasExportModifier(statement))
        exported = { local: exportName };
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
        functions.set(declaration.name.text, declaration.initializer);
        if (declaration.name.text === exportName && hasExportModifier(statement))
          exported = { local: exportName };
      }
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) {
        if (element.name.text !== exportName) continue;
        exported = statement.moduleSpecifier
          ? {
              reexportedFrom: (statement.moduleSpecifier as ts.StringLiteral).text,
              importedName: (element.propertyName ?? element.name).text,
            }
          : { local: (element.propertyName ?? element.name).text };
      }
    }
  }
  if (!exported) return { exportsAction: false };
  if (exported.reexportedFrom) {
    // Several routes may share one action module (e.g. /groepen/<slug> and /projecten/<slug>): follow it.
    const target = resolve(exported.reexportedFrom);
    if (target) {
      const verdict = checkRouteSource(target.fileName, target.source, exported.importedName, resolve);
      if (verdict.exportsAction) return verdict;
    }
    return {
      exportsAction: true,
      problem: `re-exports its action from "${exported.reexportedFrom}": define the action in the route module so this check can see it`,
    };
  }

  // Does the action (or a module function it calls, transitively) call a CSRF check?
  const visited = new Set<string>();
  const checks = (name: string): boolean => {
    if (visited.has(name)) return false;
    visited.add(name);
    const body = functions.get(name);
    if (!body) return false;
    let found = false;
    const visit = (node: ts.Node) => {
      if (found) return;
      if (ts.isCallExpression(node)) {
        const callee = calleeName(node);
        if (callee && (CSRF_CHECKS.has(callee) || checks(callee))) {
          found = true;
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
    return found;
  };
  return checks(exported.local!)
    ? { exportsAction: true }
    : {
        exportsAction: true,
        problem:
          "exports an action that never calls readCsrfCheckedForm(request) or assertCsrf(request, …): " +
          "start the action with `const form = await readCsrfCheckedForm(request);`",
      };
}

function routeModules(): string[] {
  return (fs.readdirSync(ROUTES_DIR, { recursive: true }) as string[])
    .filter((file) => /\.(ts|tsx)$/.test(file) && !/\.test\.(ts|tsx)$/.test(file))
    .map((file) => path.join(ROUTES_DIR, file))
    .sort();
}

describe("CSRF coverage of route actions", () => {
  it("every route module that exports an action checks the CSRF token", () => {
    const modules = routeModules();
    expect(modules.length).toBeGreaterThan(0);
    const withAction: string[] = [];
    const problems: string[] = [];
    for (const file of modules) {
      const verdict = checkRouteSource(file, fs.readFileSync(file, "utf8"), "action", readAppModule);
      const name = path.relative(path.resolve(ROUTES_DIR, "../.."), file).split(path.sep).join("/");
      if (verdict.exportsAction) withAction.push(name);
      if (verdict.problem) problems.push(`${name} ${verdict.problem}`);
    }
    // The scan must actually see the actions we know about (guards against a check that sees nothing).
    expect(withAction).toEqual(
      expect.arrayContaining([
        "app/routes/inloggen.tsx",
        "app/routes/profiel.tsx",
        "app/routes/taal.tsx",
        "app/routes/uitloggen.tsx",
      ]),
    );
    if (problems.length) expect.fail(`Route actions without a CSRF check:\n  - ${problems.join("\n  - ")}`);
  });

  describe("the check itself", () => {
    const verdict = (source: string) => checkRouteSource("route.tsx", source);

    it("accepts the forms the routes use", () => {
      expect(
        verdict(
          `export async function action({ request }) { const form = await readCsrfCheckedForm(request); }`,
        ),
      ).toEqual({ exportsAction: true });
      expect(
        verdict(
          `export const action = async ({ request }) => { assertCsrf(request, request.headers.get("x")); };`,
        ),
      ).toEqual({ exportsAction: true });
      expect(
        verdict(`
          async function save(request) { return csrf.readCsrfCheckedForm(request); }
          async function handle({ request }) { await save(request); }
          export { handle as action };`),
      ).toEqual({ exportsAction: true });
    });

    it("flags an action without the check, even when the name appears in a comment or a string", () => {
      for (const source of [
        `export async function action({ request }) { const form = await request.formData(); }`,
        `// readCsrfCheckedForm(request)\nexport const action = async () => { return "assertCsrf(request)"; };`,
        `function unused(r) { return readCsrfCheckedForm(r); }\nexport async function action() { return null; }`,
        `async function action({ request }) { await request.formData(); }\nexport { action };`,
      ]) {
        expect(verdict(source).problem, source).toMatch(/never calls readCsrfCheckedForm/);
      }
    });

    it("follows an action re-exported from an app module and checks it there", () => {
      const modules: Record<string, string> = {
        "~/good": `export async function placeAction({ request }) { await readCsrfCheckedForm(request); }`,
        "~/bad": `export async function placeAction({ request }) { await request.formData(); }`,
      };
      const resolve = (specifier: string) =>
        modules[specifier] ? { fileName: `${specifier}.ts`, source: modules[specifier] } : null;
      const check = (source: string) => checkRouteSource("route.tsx", source, "action", resolve);
      expect(check(`export { placeAction as action } from "~/good";`)).toEqual({ exportsAction: true });
      expect(check(`export { placeAction as action } from "~/bad";`).problem).toMatch(/never calls/);
      expect(check(`export { otherAction as action } from "~/good";`).problem).toMatch(/re-exports/);
    });

    it("flags an action re-exported from elsewhere and ignores modules without an action", () => {
      expect(verdict(`export { action } from "~/somewhere";`).problem).toMatch(/re-exports its action/);
      expect(verdict(`export async function loader() { return null; }`)).toEqual({ exportsAction: false });
    });
  });
});
