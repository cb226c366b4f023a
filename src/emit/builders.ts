// ts.factory helpers for the TypeScript printer's module-level code (declarations, the Model
// class). Layers build kernel IR instead (src/kernel/build.ts). `Ex` accepts an expression, an
// identifier name (a string, already allocated by names.ts) or a number.
import ts from 'typescript';

const f = ts.factory;

export type Ex = ts.Expression | string | number;

export function ex(value: Ex): ts.Expression {
  if (typeof value === 'number') return num(value);
  if (typeof value === 'string') return f.createIdentifier(value);
  return value;
}

export function id(name: string): ts.Identifier {
  return f.createIdentifier(name);
}

export function num(value: number): ts.Expression {
  if (!Number.isFinite(value)) throw new Error(`internal: cannot emit the number ${value}`);
  if (value < 0 || Object.is(value, -0)) return f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-value));
  return f.createNumericLiteral(value);
}

export function str(value: string): ts.StringLiteral {
  return f.createStringLiteral(value);
}

function literalValue(e: ts.Expression): number | undefined {
  if (ts.isNumericLiteral(e)) return Number(e.text);
  return undefined;
}

function binary(left: Ex, op: ts.BinaryOperator, right: Ex): ts.Expression {
  const l = ex(left);
  const r = ex(right);
  return f.createBinaryExpression(wrap(l), op, wrap(r));
}

/** Parenthesize everything but atoms, so the printer never needs precedence rules from us. */
function wrap(e: ts.Expression): ts.Expression {
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isElementAccessExpression(e) || ts.isNonNullExpression(e) || ts.isCallExpression(e) || ts.isPropertyAccessExpression(e) || ts.isParenthesizedExpression(e)) return e;
  return f.createParenthesizedExpression(e);
}

/** a * b * ..., with literal ones dropped and literals folded. */
export function mul(...factors: Ex[]): ts.Expression {
  let constant = 1;
  const rest: ts.Expression[] = [];
  for (const t of factors.map(ex)) {
    const v = literalValue(t);
    if (v !== undefined) constant *= v;
    else rest.push(t);
  }
  if (constant === 0) return num(0);
  if (constant !== 1 || rest.length === 0) rest.unshift(num(constant));
  return rest.reduce((acc, t) => binary(acc, ts.SyntaxKind.AsteriskToken, t));
}

export function neq(a: Ex, b: Ex): ts.Expression {
  return binary(a, ts.SyntaxKind.ExclamationEqualsEqualsToken, b);
}

export function or(a: Ex, b: Ex): ts.Expression {
  return binary(a, ts.SyntaxKind.BarBarToken, b);
}

function target(e: Ex): ts.Expression {
  const t = ex(e);
  return ts.isNonNullExpression(t) ? t.expression : t;
}

export function prop(object: Ex, name: string): ts.Expression {
  return isIdentifierName(name) ? f.createPropertyAccessExpression(ex(object), name) : f.createElementAccessExpression(ex(object), str(name));
}

export function call(fn: Ex, ...args: Ex[]): ts.CallExpression {
  return f.createCallExpression(ex(fn), undefined, args.map(ex));
}

export function method(object: Ex, name: string, ...args: Ex[]): ts.CallExpression {
  return f.createCallExpression(f.createPropertyAccessExpression(ex(object), name), undefined, args.map(ex));
}

export function stmt(expression: ts.Expression): ts.ExpressionStatement {
  return f.createExpressionStatement(expression);
}

export function assign(to: Ex, value: Ex): ts.ExpressionStatement {
  return stmt(f.createBinaryExpression(target(to), ts.SyntaxKind.EqualsToken, ex(value)));
}

function declare(kind: ts.NodeFlags, name: string, init: Ex | undefined, type?: ts.TypeNode): ts.VariableStatement {
  return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, type, init === undefined ? undefined : ex(init))], kind));
}

export function constVar(name: string, init: Ex, type?: ts.TypeNode): ts.VariableStatement {
  return declare(ts.NodeFlags.Const, name, init, type);
}

export function ifThen(condition: Ex, then: readonly ts.Statement[]): ts.IfStatement {
  return f.createIfStatement(ex(condition), f.createBlock([...then], true));
}

export function ret(value?: Ex): ts.ReturnStatement {
  return f.createReturnStatement(value === undefined ? undefined : ex(value));
}

/** Attach a JSDoc block above a node. */
export function withDoc<T extends ts.Node>(node: T, ...lines: string[]): T {
  const body = lines.map((l) => commentText(l)).join('\n * ');
  ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, `*\n * ${body}\n `, true);
  return node;
}

/** Text safe inside any comment: one line, no comment terminator. */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\*\//g, '*\\/');
}

export function isIdentifierName(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !reservedWords.has(name);
}

export function propertyName(name: string): ts.PropertyName {
  return isIdentifierName(name) ? id(name) : str(name);
}

export const reservedWords = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield any boolean constructor declare get module require number set string symbol type from of async await undefined NaN Infinity arguments eval'
  ).split(' '),
);
