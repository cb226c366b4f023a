// The TypeScript printer of the kernel IR: every node becomes its ts.factory node. Element reads
// print as `a[i]!`, which type-checks under noUncheckedIndexedAccess; every operand that is not an
// atom is parenthesized, so no precedence rule is needed.
import ts from 'typescript';
import type { BinaryOp, Callee, Expr, Stmt } from '../kernel/ir.js';
import type { RuntimeName } from '../runtime/index.js';
import { commentText, isIdentifierName } from './builders.js';

const f = ts.factory;

const binaryToken: Record<BinaryOp, ts.BinaryOperator> = {
  '+': ts.SyntaxKind.PlusToken,
  '-': ts.SyntaxKind.MinusToken,
  '*': ts.SyntaxKind.AsteriskToken,
  '/': ts.SyntaxKind.SlashToken,
  '%': ts.SyntaxKind.PercentToken,
  '<': ts.SyntaxKind.LessThanToken,
  '<=': ts.SyntaxKind.LessThanEqualsToken,
  '>': ts.SyntaxKind.GreaterThanToken,
  '>=': ts.SyntaxKind.GreaterThanEqualsToken,
  '===': ts.SyntaxKind.EqualsEqualsEqualsToken,
  '!==': ts.SyntaxKind.ExclamationEqualsEqualsToken,
  '&&': ts.SyntaxKind.AmpersandAmpersandToken,
  '||': ts.SyntaxKind.BarBarToken,
  '|': ts.SyntaxKind.BarToken,
};

const leftAssociative = new Set<BinaryOp>(['+', '-', '*', '&&', '||', '|']);

/** Everything but atoms gets parentheses. */
function wrap(e: ts.Expression): ts.Expression {
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isStringLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword || ts.isElementAccessExpression(e) || ts.isNonNullExpression(e) || ts.isCallExpression(e) || ts.isPropertyAccessExpression(e) || ts.isParenthesizedExpression(e)) return e;
  return f.createParenthesizedExpression(e);
}

/** The runtime kernels the printed code calls: the module copies exactly these. */
let used: Set<RuntimeName> | undefined;

/** Print with `into` collecting the runtime kernels called. */
export function collectingRuntime<T>(into: Set<RuntimeName>, print: () => T): T {
  const before = used;
  used = into;
  try {
    return print();
  } finally {
    used = before;
  }
}

/** Note a runtime kernel that printer code (outside the IR) calls by name. */
export function useRuntime(name: RuntimeName): string {
  used?.add(name);
  return name;
}

function callee(c: Callee): ts.Expression {
  switch (c.kind) {
    case 'runtime':
      used?.add(c.name);
      return f.createIdentifier(c.name);
    case 'function':
      return f.createIdentifier(c.name);
    case 'builtin': {
      const [object, member] = c.name.split('.') as [string, string | undefined];
      return member === undefined ? f.createIdentifier(object) : f.createPropertyAccessExpression(f.createIdentifier(object), member);
    }
    case 'method':
      return f.createPropertyAccessExpression(printExpr(c.object), c.name);
  }
}

export function printExpr(e: Expr): ts.Expression {
  switch (e.kind) {
    case 'num':
      return e.value < 0 || Object.is(e.value, -0) ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-e.value)) : f.createNumericLiteral(e.value);
    case 'str':
      return f.createStringLiteral(e.value);
    case 'bool':
      return e.value ? f.createTrue() : f.createFalse();
    case 'null':
      return f.createNull();
    case 'var':
      return f.createIdentifier(e.name);
    case 'binary': {
      // A left operand of the same left-associative operator needs no parentheses: a + b + c.
      const left = printExpr(e.left);
      const chained = e.left.kind === 'binary' && e.left.op === e.op && leftAssociative.has(e.op);
      return f.createBinaryExpression(chained ? left : wrap(left), binaryToken[e.op], wrap(printExpr(e.right)));
    }
    case 'unary':
      return e.op === '!' ? f.createLogicalNot(wrap(printExpr(e.operand))) : f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, wrap(printExpr(e.operand)));
    case 'load':
      return f.createNonNullExpression(f.createElementAccessExpression(printExpr(e.buffer), printExpr(e.index)));
    case 'field':
      return isIdentifierName(e.name) ? f.createPropertyAccessExpression(printExpr(e.object), e.name) : f.createElementAccessExpression(printExpr(e.object), f.createStringLiteral(e.name));
    case 'call':
      return f.createCallExpression(callee(e.callee), undefined, e.args.map(printExpr));
    case 'cond':
      return f.createConditionalExpression(printExpr(e.test), undefined, printExpr(e.then), undefined, printExpr(e.otherwise));
    case 'new':
      return f.createNewExpression(f.createIdentifier(e.ctor), undefined, e.args.map(printExpr));
    case 'list':
      return f.createArrayLiteralExpression(e.items.map(printExpr));
  }
}

/** An assignment target: an element write drops the `!` that a read needs. */
function target(e: Expr): ts.Expression {
  return e.kind === 'load' ? f.createElementAccessExpression(printExpr(e.buffer), printExpr(e.index)) : printExpr(e);
}

function printOne(s: Stmt): ts.Statement {
  switch (s.kind) {
    case 'let':
      return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(s.name, undefined, undefined, printExpr(s.init))], s.mutable ? ts.NodeFlags.Let : ts.NodeFlags.Const));
    case 'assign':
      return f.createExpressionStatement(
        s.op === '=' ? f.createBinaryExpression(target(s.target), ts.SyntaxKind.EqualsToken, printExpr(s.value)) : f.createBinaryExpression(printExpr(s.target), ts.SyntaxKind.PlusEqualsToken, printExpr(s.value)),
      );
    case 'eval':
      return f.createExpressionStatement(printExpr(s.expr));
    case 'for':
      return f.createForStatement(
        f.createVariableDeclarationList([f.createVariableDeclaration(s.index, undefined, undefined, printExpr(s.from))], ts.NodeFlags.Let),
        f.createBinaryExpression(f.createIdentifier(s.index), ts.SyntaxKind.LessThanToken, wrap(printExpr(s.to))),
        f.createPostfixIncrement(f.createIdentifier(s.index)),
        f.createBlock(printStmts(s.body), true),
      );
    case 'if':
      return f.createIfStatement(printExpr(s.test), f.createBlock(printStmts(s.then), true), s.otherwise ? f.createBlock(printStmts(s.otherwise), true) : undefined);
    case 'block':
      return f.createBlock(printStmts(s.body), true);
    case 'continue':
      return f.createContinueStatement();
    case 'return':
      return f.createReturnStatement(s.value === undefined ? undefined : printExpr(s.value));
    case 'throw':
      return f.createThrowStatement(f.createNewExpression(f.createIdentifier(s.error), undefined, [printExpr(s.message)]));
  }
}

export function printStmt(s: Stmt): ts.Statement {
  const node = printOne(s);
  for (const line of s.comments ?? []) ts.addSyntheticLeadingComment(node, ts.SyntaxKind.SingleLineCommentTrivia, ` ${commentText(line)}`, true);
  return node;
}

export function printStmts(body: readonly Stmt[]): ts.Statement[] {
  return body.map(printStmt);
}
