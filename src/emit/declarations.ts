// The TypeScript printer's declarations: the shape-typed tensor aliases, PredictOptions, the
// shape constants, and the Inputs/Outputs/Weights/States types of a module plan.
import ts from 'typescript';
import type { TypeMap } from '../ir/graph.js';
import type { WeightGroup } from '../ir/params.js';
import type { ParamSpec } from '../layers/layer.js';
import type { ModulePlan, StateDecl } from '../plan/plan.js';
import { formatShape, isKnown, type DType, type Shape, type TensorType } from '../shapes/dim.js';
import { typeOf } from '../shapes/infer.js';
import { nodeMap } from '../ir/graph.js';
import { mul, num, propertyName, withDoc } from './builders.js';

const f = ts.factory;
export const exportMod = () => [f.createModifier(ts.SyntaxKind.ExportKeyword)];
const readonlyMod = () => [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)];

export const arrayOf: Record<DType, string> = { float32: 'Float32Array', int32: 'Int32Array', bool: 'Uint8Array' };
const tensorTypeOf: Record<DType, string> = { float32: 'Float32Tensor', int32: 'Int32Tensor', bool: 'BoolTensor' };

export const typeRef = (name: string) => f.createTypeReferenceNode(name);
export const numberType = () => f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword);
export const voidType = () => f.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword);
export const param = (name: string, type: ts.TypeNode, init?: ts.Expression) => f.createParameterDeclaration(undefined, undefined, name, undefined, type, init);
export const fn = (name: string, exported: boolean, parameters: ts.ParameterDeclaration[], type: ts.TypeNode, body: ts.Statement[]) =>
  f.createFunctionDeclaration(exported ? exportMod() : undefined, undefined, name, undefined, parameters, type, f.createBlock(body, true));
export const record = (entries: [string, ts.Expression][]) => f.createObjectLiteralExpression(entries.map(([k, v]) => f.createPropertyAssignment(propertyName(k), v)), true);
export const member = (name: string, type: ts.TypeNode, doc?: string) => {
  const m = f.createPropertySignature(readonlyMod(), propertyName(name), undefined, type);
  return doc ? withDoc(m, doc) : m;
};
const shapeLiteral = (shape: Shape) => f.createArrayLiteralExpression(shape.map((d) => (isKnown(d) ? num(d) : f.createNull())));
const asConst = (e: ts.Expression) => f.createAsExpression(e, f.createTypeReferenceNode('const'));
const constExport = (name: string, init: ts.Expression) => f.createVariableStatement(exportMod(), f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, init)], ts.NodeFlags.Const));

/** `Float32Tensor<readonly [32, 25, 1]>`. */
export function tensorType(t: TensorType): ts.TypeNode {
  const tuple = f.createTupleTypeNode(t.shape.map((d) => (isKnown(d) ? f.createLiteralTypeNode(num(d) as ts.NumericLiteral) : numberType())));
  ts.setEmitFlags(tuple, ts.EmitFlags.SingleLine);
  return f.createTypeReferenceNode(tensorTypeOf[t.dtype], [f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, tuple)]);
}

/** An object literal over the weights tree, a leaf per parameter. */
export function treeRecord(group: WeightGroup, leaf: (p: ParamSpec) => ts.Expression): ts.Expression {
  return record(group.children.map(([k, child]) => [k, child.kind === 'param' ? leaf(child.spec) : treeRecord(child, leaf)]));
}

function treeMembers(group: WeightGroup): ts.TypeElement[] {
  return group.children.map(([k, child]) =>
    child.kind === 'param'
      ? member(k, tensorType({ dtype: 'float32', shape: child.spec.shape }), `${k} ${formatShape(child.spec.shape)}: ${child.spec.layout}.`)
      : member(k, f.createTypeLiteralNode(treeMembers(child)), child.doc),
  );
}

/** The types of the inputs and outputs under a type map. */
export function ioTypes(plan: ModulePlan, types: TypeMap): { inputs: TensorType[]; outputs: TensorType[] } {
  const nodes = nodeMap(plan.graph);
  return { inputs: plan.graph.inputs.map((i) => types.get(i.name)![0]!), outputs: plan.graph.outputs.map((o) => typeOf(types, nodes, o.ref)!) };
}

function tensorAliases(plan: ModulePlan): ts.Statement[] {
  const dtypes = new Set<DType>(['float32', ...plan.graph.inputs.map((i) => i.dtype)]);
  return (['float32', 'int32', 'bool'] as const).filter((d) => dtypes.has(d)).map((dtype) => {
    const s = f.createTypeParameterDeclaration(undefined, 'S', f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, f.createArrayTypeNode(numberType())));
    const shaped = f.createTypeLiteralNode([f.createPropertySignature(readonlyMod(), '__shape', f.createToken(ts.SyntaxKind.QuestionToken), typeRef('S'))]);
    return withDoc(
      f.createTypeAliasDeclaration(exportMod(), tensorTypeOf[dtype], [s], f.createIntersectionTypeNode([typeRef(arrayOf[dtype]), shaped])),
      `A row-major ${dtype} tensor${dtype === 'bool' ? ' (1 is true, 0 is false)' : ''}. \`__shape\` never exists at run time: it carries the shape for the type checker,`,
      'so a tensor of one shape is not accepted where another is expected.',
    );
  });
}

function predictOptions(plan: ModulePlan): ts.Statement {
  const optional = (name: string, type: ts.TypeNode, doc: string) => withDoc(f.createPropertySignature(readonlyMod(), name, f.createToken(ts.SyntaxKind.QuestionToken), type), doc);
  return withDoc(
    f.createInterfaceDeclaration(exportMod(), 'PredictOptions', undefined, undefined, [
      optional('training', f.createKeywordTypeNode(ts.SyntaxKind.BooleanKeyword), `Apply dropout as in training (Keras's \`training=True\`)${plan.trainable ? '' : '; this model has no dropout, so nothing changes'}. Default false.`),
      optional('seed', numberType(), 'Seed of the dropout masks in training: the same seed gives the same masks. Default 0.'),
      ...(plan.needsBatch ? [optional('batch', numberType(), 'The batch size: required, since every input has a run-time length and the batch is not fixed, so their sizes cannot tell both.')] : []),
    ]),
    'Options of a forward pass.',
  );
}

function shapeConstants(plan: ModulePlan): ts.Statement[] {
  const byName = (names: readonly string[], types: readonly TensorType[]) => asConst(record(names.map((n, i) => [n, shapeLiteral(types[i]!.shape)])));
  const inputNames = plan.graph.inputs.map((i) => i.name);
  const outputNames = plan.graph.outputs.map((o) => o.name);
  const full = ioTypes(plan, plan.types);
  const out = [
    withDoc(constExport('inputShapes', byName(inputNames, full.inputs)), 'Shapes of the inputs, batch first; null marks a dimension known only at run time.'),
    withDoc(constExport('outputShapes', byName(outputNames, full.outputs)), 'Shapes of the outputs, batch first; null marks a dimension known only at run time.'),
    withDoc(constExport('weightShapes', asConst(treeRecord(plan.weights, (q) => shapeLiteral(q.shape)))), "Shapes of every layer's parameters, in Keras's layout."),
  ];
  if (plan.stream) {
    const step = ioTypes(plan, plan.stream.types);
    out.push(
      withDoc(constExport('stepInputShapes', byName(inputNames, step.inputs)), 'Shapes of the inputs of one streaming step (one timestep).'),
      withDoc(constExport('stepOutputShapes', byName(outputNames, step.outputs)), 'Shapes of the outputs of one streaming step.'),
    );
  }
  return out;
}

function ioInterfaces(plan: ModulePlan, prefix: '' | 'Step', types: TypeMap): ts.Statement[] {
  const doc = prefix === '' ? '' : ' of one streaming step (one timestep)';
  const t = ioTypes(plan, types);
  return [
    withDoc(
      f.createInterfaceDeclaration(exportMod(), `${prefix}Inputs`, undefined, undefined, plan.graph.inputs.map((input, k) => member(input.name, tensorType(t.inputs[k]!), `Input "${input.name}": ${formatShape(t.inputs[k]!.shape)}, ${input.dtype}, row-major (${plan.where(input.pointer)}).`))),
      `The model inputs${doc}, by name.`,
    ),
    withDoc(
      f.createInterfaceDeclaration(exportMod(), `${prefix}Outputs`, undefined, undefined, plan.graph.outputs.map((o, i) => member(o.name, tensorType(t.outputs[i]!), `Output "${o.name}" = ${o.ref.node}${o.ref.output ? `.${o.ref.output}` : ''}: ${formatShape(t.outputs[i]!.shape)}, row-major.`))),
      `The model outputs${doc}, by name.`,
    ),
  ];
}

/** The type aliases, options, shape constants and the Inputs, Outputs and Weights types. */
export function declarations(plan: ModulePlan): ts.Statement[] {
  return [
    ...tensorAliases(plan),
    predictOptions(plan),
    ...shapeConstants(plan),
    ...ioInterfaces(plan, '', plan.types),
    ...(plan.stream ? ioInterfaces(plan, 'Step', plan.stream.types) : []),
    withDoc(f.createInterfaceDeclaration(exportMod(), 'Weights', undefined, undefined, treeMembers(plan.weights)), "The parameters of every layer, flat row-major copies of Keras's arrays."),
  ];
}

/** The States type and createStates(), when the model has states. */
export function statesDeclarations(plan: ModulePlan): ts.Statement[] {
  if (plan.states.length === 0) return [];
  const byLayer = statesByLayer(plan.states);
  return [
    withDoc(
      f.createInterfaceDeclaration(exportMod(), 'States', undefined, undefined, [...byLayer].map(([, list]) => {
        const layer = list[0]!.layer;
        return member(layer.name, f.createTypeLiteralNode(list.map((s) => member(s.role, tensorType({ dtype: 'float32', shape: [plan.batchDim, s.units] }), `State ${s.role} of ${layer.type} "${layer.name}", (batch, ${s.units}).`))), `${layer.type} layer "${layer.name}"${layer.config.stateful ? ' (stateful)' : ''}.`);
      })),
      'The recurrent states, by layer. Layers with `stateful: true` and streaming steps continue from them; others restart at zero every call.',
    ),
    withDoc(
      fn('createStates', false, [param('batch', numberType())], typeRef('States'), [
        f.createReturnStatement(record([...byLayer].map(([name, list]) => [name, record(list.map((s) => [s.role, f.createNewExpression(f.createIdentifier('Float32Array'), undefined, [mul('batch', s.units)])]))]))),
      ]),
      'Zero states for `batch` rows.',
    ),
  ];
}

/** States grouped by layer name, in order. */
export function statesByLayer(states: readonly StateDecl[]): Map<string, StateDecl[]> {
  const byLayer = new Map<string, StateDecl[]>();
  for (const s of states) byLayer.set(s.layer.name, [...(byLayer.get(s.layer.name) ?? []), s]);
  return byLayer;
}
