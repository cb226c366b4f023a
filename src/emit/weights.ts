// The TypeScript printer's weight functions: initWeights (Keras's initializers), loadWeights
// (the JSON form, every shape checked), defaultWeights (the spec's weights file, embedded), and
// regularizationLoss / applyConstraints with Keras's formulas.
import ts from 'typescript';
import type { WeightGroup } from '../ir/params.js';
import { add, call, list, newArray, num as irNum, prop as irProp, runtimeCallee, str as irStr } from '../kernel/build.js';
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

/** Where each parameter starts in the embedded weights (float32 elements, in the tree's order). */
function weightOffsets(plan: ModulePlan): Map<string, number> {
  const offsets = new Map<string, number>();
  let at = 0;
  for (const l of leaves(plan.weights)) {
    offsets.set(l.path.join('/'), at);
    at += elements(l.spec.shape);
  }
  return offsets;
}

/** The printed module holds this string literal where the embedded weights go: the base64 text is spliced in after printing, so the printer never scans megabytes. */
export const EMBEDDED_WEIGHTS = '__modelc_embedded_weights__';

/** The checked weights file's values, flat in the tree's order, as base64 of little-endian float32 (undefined without a file to embed). */
export function embeddedWeights(plan: ModulePlan): string | undefined {
  if (plan.weightsFile === undefined || !plan.embedWeights) return undefined;
  const all = leaves(plan.weights);
  const bytes = Buffer.alloc(4 * all.reduce((n, l) => n + elements(l.spec.shape), 0));
  let at = 0;
  const write = (node: unknown): void => {
    if (Array.isArray(node)) for (const x of node) write(x);
    else at = bytes.writeFloatLE(node as number, at);
  };
  for (const l of all) write(l.path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], plan.weightsFile));
  return bytes.toString('base64');
}

/** defaultWeights(): the embedded weights file (decoded once), else initWeights(); absent with embedWeights false. */
function defaultWeights(plan: ModulePlan): ts.Statement[] {
  const file = plan.weightsFile;
  if (file === undefined) {
    return [
      withDoc(
        fn('defaultWeights', true, [], typeRef('Weights'), [f.createReturnStatement(f.createCallExpression(f.createIdentifier('initWeights'), undefined, []))]),
        'The weights a Model starts with: the spec names no weights file, so those of initWeights() (its seed).',
      ),
    ];
  }
  const offsets = weightOffsets(plan);
  const slice = (q: ParamSpec, path: string) => {
    const begin = offsets.get(path)!;
    return f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('data'), 'slice'), undefined, [num(begin), num(begin + elements(q.shape))]);
  };
  const tree = (group: WeightGroup, path: string[]): ts.Expression =>
    record(group.children.map(([k, child]) => [k, child.kind === 'param' ? slice(child.spec, [...path, k].join('/')) : tree(child, [...path, k])]));
  const decode = printExpr(call(runtimeCallee('float32FromBase64'), 'defaultWeightsBase64'));
  return [
    withDoc(
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration('defaultWeightsBase64', undefined, undefined, f.createStringLiteral(EMBEDDED_WEIGHTS))], ts.NodeFlags.Const)),
      `The spec's weights file ${commentText(String(plan.graph.weightsPath))}, checked at compile time: every parameter in the order of Weights, little-endian float32, base64.`,
    ),
    f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration('defaultWeightsData', undefined, f.createUnionTypeNode([typeRef('Float32Array'), f.createKeywordTypeNode(ts.SyntaxKind.UndefinedKeyword)]), undefined)], ts.NodeFlags.Let)),
    withDoc(
      fn('defaultWeights', true, [], typeRef('Weights'), [
        f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration('data', undefined, undefined, f.createBinaryExpression(f.createIdentifier('defaultWeightsData'), ts.SyntaxKind.QuestionQuestionEqualsToken, decode))], ts.NodeFlags.Const)),
        f.createReturnStatement(tree(plan.weights, [])),
      ]),
      `The weights a Model starts with: the spec's weights file ${commentText(String(plan.graph.weightsPath))}, embedded (decoded on the first call; each call returns fresh copies).`,
    ),
  ];
}

/** loadSafetensors(): weights from a .safetensors file (keys `layer/param`, `layer/forward/param`), with loadWeights' checks. */
function loadSafetensors(plan: ModulePlan): ts.Statement {
  const all = leaves(plan.weights);
  const tensors = f.createIdentifier('tensors');
  const read = (q: ParamSpec, path: string) => printExpr(call(runtimeCallee('safetensorsParam'), 'tensors', irStr(path), list(...q.shape)));
  const tree = (group: WeightGroup, path: string[]): ts.Expression =>
    record(group.children.map(([k, child]) => [k, child.kind === 'param' ? read(child.spec, [...path, k].join('/')) : tree(child, [...path, k])]));
  const body: ts.Statement[] = [
    f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(tensors, undefined, undefined, printExpr(call(runtimeCallee('safetensorsTensors'), 'bytes')))], ts.NodeFlags.Const)),
    f.createExpressionStatement(printExpr(call(runtimeCallee('safetensorsOnly'), 'tensors', list(...all.map((l) => irStr(l.path.join('/'))))))),
    f.createReturnStatement(tree(plan.weights, [])),
  ];
  return withDoc(
    fn('loadSafetensors', true, [param(all.length > 0 ? 'bytes' : '_bytes', f.createUnionTypeNode([typeRef('Uint8Array'), typeRef('ArrayBuffer')]))], typeRef('Weights'), all.length > 0 ? body : [f.createReturnStatement(tree(plan.weights, []))]),
    'Checks and loads weights from a .safetensors file: one float32 tensor per parameter, keyed `layer/param` (`layer/forward/param`',
    "for Bidirectional), in Keras's layout. Throws a TypeError or RangeError that names the tensor and the expected shape.",
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
    (sum, l) => add(sum, emitRegularizerLoss(moduleContext, l.spec.regularizer!, weightPath(l.path), elements(l.spec.shape.slice(0, -1)), l.spec.shape[l.spec.shape.length - 1] ?? 1)),
    irNum(0),
  );
  return [
    withDoc(
      fn('regularizationLoss', true, [param(regularized.length > 0 ? 'weights' : '_weights', typeRef('Weights'))], numberType(), [f.createReturnStatement(printExpr(loss))]),
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

export function weightFunctions(plan: ModulePlan): ts.Statement[] {
  return [initWeights(plan), loadWeights(plan), loadSafetensors(plan), ...(plan.embedWeights ? defaultWeights(plan) : []), ...penalties(plan)];
}
