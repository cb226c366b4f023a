// The TypeScript printer's weight functions: initWeights (Keras's initializers), loadWeights
// (the JSON form, every shape checked), defaultWeights (the spec's weights file, embedded), and
// regularizationLoss / applyConstraints with Keras's formulas.
import ts from 'typescript';
import type { WeightGroup } from '../ir/params.js';
import { call, list, newArray, num as irNum, prop as irProp, runtimeCallee, str as irStr } from '../kernel/build.js';
import type { Expr } from '../kernel/ir.js';
import type { EmitContext, ParamSpec } from '../layers/layer.js';
import { describeConstraint, emitConstraint } from '../layers/options/constraints.js';
import { emitInitializer } from '../layers/options/initializers.js';
import { describeRegularizer, emitRegularizerLoss } from '../layers/options/regularizers.js';
import type { ModulePlan } from '../plan/plan.js';
import { commentText, num, withDoc } from './builders.js';
import { fn, numberType, param, record, treeRecord, typeRef, voidType } from './declarations.js';
import { NameAllocator } from './names.js';
import { printExpr } from './print-kernel.js';

const f = ts.factory;

/** Module-level code has no pass: sizes are literals, and nothing is hoisted. */
export const moduleContext: EmitContext = {
  names: new NameAllocator(),
  runtime: runtimeCallee,
  dim: (d) => {
    if (typeof d !== 'number') throw new Error(`internal: a weight with the run-time dimension ${d}`);
    return irNum(d);
  },
  compiledLength: () => undefined,
  where: () => '',
  hoist() {
    throw new Error('internal: hoist outside a forward pass');
  },
};

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const weightPath = (path: readonly string[]): Expr => path.reduce<Expr>((e, k) => irProp(e, k), { kind: 'var', name: 'weights' });

function initWeights(plan: ModulePlan): ts.Statement {
  let stream = 0;
  // Whether an initializer draws from the seed: constant ones (zeros, ones, constant, unit_forget_bias) do not.
  let drawsFromSeed = false;
  const init = (q: ParamSpec) => {
    const expr = emitInitializer(moduleContext, q.initializer, q.shape, newArray('Float32Array', elements(q.shape)), call(runtimeCallee('createRng'), 'seed', stream++));
    drawsFromSeed ||= JSON.stringify(expr).includes('"createRng"');
    return printExpr(expr);
  };
  const body = f.createReturnStatement(treeRecord(plan.weights, init));
  return withDoc(
    fn('initWeights', true, [param(drawsFromSeed ? 'seed' : '_seed', numberType(), num(plan.graph.seed))], typeRef('Weights'), [body]),
    "Draws initial weights with each layer's initializers (Keras's distributions), deterministically from `seed`.",
    `@param seed Default: the spec's seed, ${plan.graph.seed}.`,
  );
}

function loadWeights(plan: ModulePlan): ts.Statement {
  const body: ts.Statement[] = [];
  const scope = new NameAllocator(['json']);
  const statement = (e: Expr) => f.createExpressionStatement(printExpr(e));
  const group = (g: WeightGroup, local: string, path: string): ts.Expression => {
    body.push(statement(call(runtimeCallee('onlyKeys'), local, list(...g.children.map(([k]) => irStr(k))), irStr(path))));
    return record(g.children.map(([k, child]) => {
      const childPath = `${path}.${k}`;
      if (child.kind === 'param') return [k, printExpr(call(runtimeCallee('readParam'), local, irStr(k), irStr(childPath), list(...child.spec.shape)))];
      const childLocal = scope.allocate(`${childPath.slice('weights.'.length).replace(/\./g, '_')}_json`);
      body.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(childLocal, undefined, undefined, printExpr(call(runtimeCallee('member'), local, irStr(k), irStr(path))))], ts.NodeFlags.Const)));
      return [k, group(child, childLocal, childPath)];
    }));
  };
  const value = group(plan.weights, 'json', 'weights');
  body.push(f.createReturnStatement(value));
  return withDoc(
    fn('loadWeights', true, [param('json', f.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword))], typeRef('Weights'), body),
    'Checks and loads weights in the JSON form of a weights file: one object per layer, each parameter a nested array',
    "in Keras's layout. Throws a TypeError or RangeError that names the layer, the parameter and the expected shape.",
  );
}

function defaultWeights(plan: ModulePlan): ts.Statement {
  const embedded = (group: WeightGroup, value: unknown): ts.Expression =>
    record(group.children.map(([k, child]) => {
      const v = (value as Record<string, unknown>)[k];
      if (child.kind === 'group') return [k, embedded(child, v)];
      const flat = ([] as unknown[]).concat(v).flat(Infinity) as number[];
      return [k, f.createNewExpression(f.createIdentifier('Float32Array'), undefined, [f.createArrayLiteralExpression(flat.map((x) => num(x)), false)])];
    }));
  const file = plan.weightsFile;
  return withDoc(
    fn('defaultWeights', true, [], typeRef('Weights'), [f.createReturnStatement(file === undefined ? f.createCallExpression(f.createIdentifier('initWeights'), undefined, []) : embedded(plan.weights, file))]),
    file === undefined
      ? 'The weights a Model starts with: the spec names no weights file, so those of initWeights() (its seed).'
      : `The weights a Model starts with: the spec's weights file ${commentText(String(plan.graph.weightsPath))}, checked and embedded at compile time.`,
  );
}

function leaves(group: WeightGroup, path: string[] = []): { path: string[]; spec: ParamSpec }[] {
  return group.children.flatMap(([k, child]) => (child.kind === 'param' ? [{ path: [...path, k], spec: child.spec }] : leaves(child, [...path, k])));
}

function penalties(plan: ModulePlan): ts.Statement[] {
  const all = leaves(plan.weights);
  const regularized = all.filter((l) => l.spec.regularizer);
  const constrained = all.filter((l) => l.spec.constraint);
  const loss = regularized.reduce<Expr>(
    (sum, l) => ({ kind: 'binary', op: '+', left: sum, right: emitRegularizerLoss(moduleContext, l.spec.regularizer!, weightPath(l.path), elements(l.spec.shape.slice(0, -1)), l.spec.shape[l.spec.shape.length - 1] ?? 1) }),
    irNum(0),
  );
  return [
    withDoc(
      fn('regularizationLoss', true, [param(regularized.length > 0 ? 'weights' : '_weights', typeRef('Weights'))], numberType(), [f.createReturnStatement(printExpr(foldZero(loss)))]),
      "The weight regularization loss: the sum of every `*_regularizer`'s penalty on its weight (0 when the spec has none).",
      ...regularized.map((l) => `${l.path.join('.')}: ${describeRegularizer(l.spec.regularizer!)}`),
    ),
    withDoc(
      fn('applyConstraints', true, [param(constrained.length > 0 ? 'weights' : '_weights', typeRef('Weights'))], voidType(), constrained.map((l) => f.createExpressionStatement(printExpr(emitConstraint(moduleContext, l.spec.constraint!, weightPath(l.path), l.spec.shape))))),
      'Applies every `*_constraint` to its weight, in place, as Keras does after each optimizer step (nothing when the spec has none).',
      ...constrained.map((l) => `${l.path.join('.')}: ${describeConstraint(l.spec.constraint!)}`),
    ),
  ];
}

/** `0 + a + b` is `a + b`. */
export function foldZero(sum: Expr): Expr {
  if (sum.kind !== 'binary' || sum.op !== '+') return sum;
  const left = foldZero(sum.left);
  return left.kind === 'num' && left.value === 0 ? sum.right : { ...sum, left };
}

export function weightFunctions(plan: ModulePlan): ts.Statement[] {
  return [initWeights(plan), loadWeights(plan), defaultWeights(plan), ...penalties(plan)];
}
