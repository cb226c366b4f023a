// Copying runtime kernels into a generated module: the functions it uses and the functions
// those call, printed from their own source (comments and all), in a stable order.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/** The package root: the folder above this file that holds package.json (works from src/ and dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      readFileSync(join(dir, 'package.json'));
      return dir;
    } catch {
      const up = dirname(dir);
      if (up === dir) throw new Error('internal: modelc cannot find its package root');
      dir = up;
    }
  }
}

function loadRuntime(): Map<string, RuntimeFunction> {
  if (cache) return cache;
  const root = packageRoot();
  const functions = new Map<string, RuntimeFunction>();
  const files = [...new Set(runtimeFileOf.values())].sort() as RuntimeFile[];
  let order = 0;
  for (const file of files) {
    const path = join(root, 'src', 'runtime', `${file}.ts`);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
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
        if (ts.isIdentifier(node) && known(node.text) && node.text !== name) calls.add(node.text);
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
