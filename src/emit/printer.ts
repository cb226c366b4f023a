// The one printer for generated code.
import ts from 'typescript';

export const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false, omitTrailingSemicolon: false });

const empty = ts.createSourceFile('generated.ts', '', ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);

/** Print synthesized top-level statements, a blank line between each. */
export function printStatements(statements: readonly ts.Statement[]): string {
  return statements.map((s) => printer.printNode(ts.EmitHint.Unspecified, s, empty)).join('\n\n');
}
