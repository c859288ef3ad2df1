/**
 * The classic Remix compiler empties `.server` modules in the browser bundle, so a component that reads a
 * value imported from one gets `undefined`, and only at run time (docs STYLE.md). This static check fails
 * when a function that renders JSX in the reach pages refers to anything imported from a `.server` module.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROUTES = ["profiel_.bereik.tsx", "personeel._index.tsx", "personeel.$userId.tsx"];
const ROUTES_DIR = path.resolve(import.meta.dirname, "../../routes");

/** Value names the module imports from `.server` modules (type-only imports are erased and harmless). */
function serverImports(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!/\.server$/.test(statement.moduleSpecifier.text)) continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    if (clause.name) names.add(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) if (!element.isTypeOnly) names.add(element.name.text);
    }
  }
  return names;
}

function containsJsx(node: ts.Node): boolean {
  if (ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node)) return true;
  return ts.forEachChild(node, containsJsx) ?? false;
}

/** Server-imported names referred to (as values, not in type positions) inside JSX-rendering functions. */
function leaks(source: string, fileName: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const server = serverImports(file);
  const found = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isTypeNode(node)) return;
    if (ts.isIdentifier(node) && server.has(node.text)) found.add(node.text);
    ts.forEachChild(node, visit);
  };
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.body && containsJsx(statement.body)) {
      visit(statement.body);
    }
  }
  return [...found];
}

describe("reach pages and the browser bundle", () => {
  it("notices a component reading a server-only value", () => {
    const source = `import { LIMIT } from "~/x.server";\nexport default function A() { return <p>{LIMIT}</p>; }`;
    expect(leaks(source, "a.tsx")).toEqual(["LIMIT"]);
    const fine = `import { load } from "~/x.server";\nexport async function loader() { return load(); }\nexport default function A() { return <p />; }`;
    expect(leaks(fine, "b.tsx")).toEqual([]);
  });

  it.each(ROUTES)("%s renders nothing imported from a .server module", (route) => {
    const source = fs.readFileSync(path.join(ROUTES_DIR, route), "utf8");
    expect(leaks(source, route)).toEqual([]);
  });
});
