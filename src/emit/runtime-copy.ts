// Copying runtime kernels into a generated module: the functions it uses and the functions
// those call, printed from their own source (comments and all), in a stable order.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { runtimeFileOf, type RuntimeFile } from '../runtime/index.js';
import { printer } from './printer.js';

interface RuntimeFunction {
  readonly name: string;
  readonly text: string;
  readonly calls: readonly string[];
  readonly order: number;
}

let cache: Map<string, RuntimeFunction> | undefined;

/**
 * The source text of a runtime file. Running from dist/ (the built or installed package), it is
 * embedded at build time in dist/runtime/sources.json (scripts/embed-runtime.mjs), because an
 * installed package ships no src/; running from src/ (tests, tsx), the .ts file itself is read, so
 * an edited kernel is used without a rebuild.
 */
function runtimeSource(file: RuntimeFile): string {
  embedded ??= loadEmbedded();
  if (embedded) {
    const text = embedded[file];
    if (text === undefined) throw new Error(`internal: dist/runtime/sources.json has no "${file}"; rebuild modelc`);
    return text;
  }
  const url = new URL(`../runtime/${file}.ts`, import.meta.url);
  if (!existsSync(url)) throw new Error(`internal: modelc has neither runtime/sources.json nor runtime/${file}.ts beside ${fileURLToPath(import.meta.url)}; rebuild it with \`npm run build\``);
  return readFileSync(url, 'utf8');
}

let embedded: Record<string, string> | false | undefined;

function loadEmbedded(): Record<string, string> | false {
  const url = new URL('../runtime/sources.json', import.meta.url);
  if (!existsSync(url)) return false;
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, string>;
}

/** `tanh` in `Math.tanh` or `{ tanh: 1 }`: a member's name, not a use of the runtime function `tanh`. */
function isMemberName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node;
}

function loadRuntime(): Map<string, RuntimeFunction> {
  if (cache) return cache;
  const functions = new Map<string, RuntimeFunction>();
  const files = [...new Set(runtimeFileOf.values())].sort() as RuntimeFile[];
  let order = 0;
  for (const file of files) {
    const source = ts.createSourceFile(`${file}.ts`, runtimeSource(file), ts.ScriptTarget.ES2022, true);
    // Interfaces (not values, so not in runtimeFileOf) are copied with the code that names them.
    const interfaces = new Set(source.statements.filter(ts.isInterfaceDeclaration).map((s) => s.name.text));
    const known = (name: string) => runtimeFileOf.has(name) || interfaces.has(name);
    for (const statement of source.statements) {
      // Functions, classes, interfaces, and module-level constants (lookup tables) that functions use.
      const name = ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)
        ? statement.name?.text
        : ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 && ts.isIdentifier(statement.declarationList.declarations[0]!.name)
          ? statement.declarationList.declarations[0]!.name.text
          : undefined;
      if (name === undefined || !known(name)) continue;
      const calls = new Set<string>();
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) && known(node.text) && node.text !== name && !isMemberName(node)) calls.add(node.text);
        ts.forEachChild(node, visit);
      };
      ts.forEachChild(statement, visit);
      // Keep the declaration's own JSDoc, not the file header above the first one.
      const comments = ts.getLeadingCommentRanges(source.text, statement.pos) ?? [];
      const last = comments[comments.length - 1];
      const doc = last && source.text.startsWith('/**', last.pos) ? `${source.text.slice(last.pos, last.end)}\n` : '';
      ts.setEmitFlags(statement, ts.EmitFlags.NoLeadingComments);
      functions.set(name, { name, text: doc + printer.printNode(ts.EmitHint.Unspecified, statement, source), calls: [...calls].sort(), order: order++ });
    }
  }
  cache = functions;
  return functions;
}

/** The source text of the runtime functions `used` and everything they call, in runtime order. */
export function runtimeText(used: Iterable<string>): string[] {
  const functions = loadRuntime();
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name)) return;
    const fn = functions.get(name);
    if (!fn) throw new Error(`internal: no runtime function ${name}`);
    needed.add(name);
    fn.calls.forEach(visit);
  };
  for (const name of used) visit(name);
  return [...needed].map((name) => functions.get(name)!).sort((a, b) => a.order - b.order).map((fn) => fn.text);
}
