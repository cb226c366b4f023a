// Assembling one generated module from a typed graph: header, tensor types, shape constants,
// the Inputs/Outputs/Weights types, initWeights, loadWeights, predict, then the runtime kernels
// it uses. Everything is built with ts.factory and printed by the one printer.
import ts from 'typescript';
import { nodeMap, type Graph, type LayerNode, type TypeMap } from '../ir/graph.js';
import type { EmitContext, LayerIO, Operand, ParamSpec } from '../layers/layer.js';
import { runtimeFileOf, type RuntimeName } from '../runtime/index.js';
import { BATCH, formatShape, isKnown, type Dim, type DType, type Shape, type TensorType } from '../shapes/dim.js';
import type { SourceFile } from '../source/source-file.js';
import { typeOf } from '../shapes/infer.js';
import {
  call, commentText, constVar, id, mul, newCall, num, prop, propertyName, ret, str, withComment, withDoc,
} from './builders.js';
import { NameAllocator } from './names.js';
import { printStatements } from './printer.js';
import { runtimeText } from './runtime-copy.js';
import { emitInitializer } from '../layers/options/initializers.js';

const f = ts.factory;
const exportMod = () => [f.createModifier(ts.SyntaxKind.ExportKeyword)];
const readonlyMod = () => [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)];

const arrayOf: Record<DType, string> = { float32: 'Float32Array', int32: 'Int32Array', bool: 'Uint8Array' };
const tensorTypeOf: Record<DType, string> = { float32: 'Float32Tensor', int32: 'Int32Tensor', bool: 'BoolTensor' };

export interface ModuleInput {
  readonly graph: Graph;
  readonly types: TypeMap;
  readonly source: SourceFile;
}

interface LayerPlan {
  readonly layer: LayerNode;
  readonly inputTypes: readonly TensorType[];
  readonly outputs: readonly Operand[];
  readonly params: readonly ParamSpec[];
}

export function emitModule({ graph, types, source }: ModuleInput): string {
  const names = new NameAllocator(['inputs', 'weights', 'batch', 'seed', 'json', ...runtimeFileOf.keys(), 'Float32Tensor', 'Int32Tensor', 'BoolTensor', 'Inputs', 'Outputs', 'Weights', 'inputShapes', 'outputShapes', 'weightShapes', 'initWeights', 'loadWeights', 'predict']);
  const used = new Set<RuntimeName>();
  const where = (pointer: string) => `${graph.file}:${source.position(graph.spans.value(pointer).start).line}`;
  const ctx: EmitContext = {
    names,
    runtime(name) {
      used.add(name);
      return name;
    },
    dim(d: Dim) {
      if (isKnown(d)) return num(d);
      if (d === BATCH) return id('batch');
      throw new Error(`internal: run-time dimension ${d} reached the emitter`);
    },
    where,
  };
  const nodes = nodeMap(graph);
  const tensorOf = new Map<string, Operand>(); // "node" or "node.output" -> operand
  const key = (node: string, output: string | undefined) => (output === undefined ? node : `${node}.${output}`);

  // Allocate identifiers for inputs and every layer output, in spec order.
  for (const input of graph.inputs) tensorOf.set(input.name, { buffer: names.allocate(input.name), type: types.get(input.name)![0]! });
  const plans: LayerPlan[] = graph.layers.map((layer) => {
    const outTypes = types.get(layer.name)!;
    const outNames = layer.def.outputNames(layer.config);
    const outputs = outNames.map((o, i) => {
      const operand = { buffer: names.allocate(i === 0 ? layer.name : `${layer.name}_${o}`), type: outTypes[i]! };
      tensorOf.set(key(layer.name, o), operand);
      if (i === 0) tensorOf.set(layer.name, operand);
      return operand;
    });
    const inputTypes = layer.inputs.map((r) => typeOf(types, nodes, r)!);
    return { layer, inputTypes, outputs, params: layer.def.params(layer, inputTypes) };
  });
  const operand = (node: string, output: string | undefined) => tensorOf.get(key(node, output))!;
  const outputTypes = graph.outputs.map((o) => operand(o.ref.node, o.ref.output).type);

  const statements: ts.Statement[] = [];

  // Tensor types.
  const usedDTypes = new Set<DType>(['float32', ...graph.inputs.map((i) => i.dtype)]);
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    if (!usedDTypes.has(dtype)) continue;
    const s = f.createTypeParameterDeclaration(undefined, 'S', f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, f.createArrayTypeNode(f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword))));
    statements.push(
      withDoc(
        f.createTypeAliasDeclaration(exportMod(), tensorTypeOf[dtype], [s], f.createIntersectionTypeNode([
          f.createTypeReferenceNode(arrayOf[dtype]),
          f.createTypeLiteralNode([f.createPropertySignature(readonlyMod(), '__shape', f.createToken(ts.SyntaxKind.QuestionToken), f.createTypeReferenceNode('S'))]),
        ])),
        `A row-major ${dtype} tensor${dtype === 'bool' ? ' (1 is true, 0 is false)' : ''}. \`__shape\` never exists at run time: it carries the shape for the type checker,`,
        'so a tensor of one shape is not accepted where another is expected.',
      ),
    );
  }

  // Shape constants.
  const shapeLiteral = (shape: Shape) => f.createArrayLiteralExpression(shape.map((d) => (isKnown(d) ? num(d) : f.createNull())));
  const asConst = (e: ts.Expression) => f.createAsExpression(e, f.createTypeReferenceNode('const'));
  const record = (entries: [string, ts.Expression][]) => f.createObjectLiteralExpression(entries.map(([k, v]) => f.createPropertyAssignment(propertyName(k), v)), true);
  statements.push(
    withDoc(constExport('inputShapes', asConst(record(graph.inputs.map((i) => [i.name, shapeLiteral(i.shape)])))), 'Shapes of the inputs, batch first; null marks a dimension known only at run time.'),
    withDoc(constExport('outputShapes', asConst(record(graph.outputs.map((o, i) => [o.name, shapeLiteral(outputTypes[i]!.shape)])))), 'Shapes of the outputs, batch first; null marks a dimension known only at run time.'),
    withDoc(
      constExport('weightShapes', asConst(record(plans.filter((p) => p.params.length > 0).map((p) => [p.layer.name, record(p.params.map((q) => [q.name, shapeLiteral(q.shape)]))])))),
      "Shapes of every layer's parameters, in Keras's layout.",
    ),
  );

  // Inputs, Outputs, Weights.
  const tensorType = (t: TensorType) => {
    const tuple = f.createTupleTypeNode(t.shape.map((d) => (isKnown(d) ? f.createLiteralTypeNode(num(d) as ts.NumericLiteral) : f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword))));
    ts.setEmitFlags(tuple, ts.EmitFlags.SingleLine);
    return f.createTypeReferenceNode(tensorTypeOf[t.dtype], [f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, tuple)]);
  };
  const member = (name: string, type: ts.TypeNode, doc: string) => withDoc(f.createPropertySignature(readonlyMod(), propertyName(name), undefined, type), doc);
  statements.push(
    withDoc(
      f.createInterfaceDeclaration(exportMod(), 'Inputs', undefined, undefined, graph.inputs.map((input) => member(input.name, tensorType(types.get(input.name)![0]!), `Input "${input.name}": ${formatShape(input.shape)}, ${input.dtype}, row-major (${where(input.pointer)}).`))),
      'The model inputs, by name.',
    ),
    withDoc(
      f.createInterfaceDeclaration(exportMod(), 'Outputs', undefined, undefined, graph.outputs.map((o, i) => member(o.name, tensorType(outputTypes[i]!), `Output "${o.name}" = ${o.ref.node}${o.ref.output ? `.${o.ref.output}` : ''}: ${formatShape(outputTypes[i]!.shape)}, row-major.`))),
      'The model outputs, by name.',
    ),
    withDoc(
      f.createInterfaceDeclaration(exportMod(), 'Weights', undefined, undefined, plans.filter((p) => p.params.length > 0).map((p) =>
        member(p.layer.name, f.createTypeLiteralNode(p.params.map((q) => member(q.name, tensorType({ dtype: 'float32', shape: q.shape }), `${q.name} ${formatShape(q.shape)}: ${q.layout}.`))), `${p.layer.type} layer "${p.layer.name}" (${where(p.layer.pointer)}).`),
      )),
      "The parameters of every layer, flat row-major copies of Keras's arrays.",
    ),
  );

  // initWeights.
  let stream = 0;
  const initEntries: [string, ts.Expression][] = plans.filter((p) => p.params.length > 0).map((p) => [
    p.layer.name,
    record(p.params.map((q) => [q.name, emitInitializer(ctx, q.initializer, q.shape, newCall('Float32Array', q.shape.reduce((a, b) => a * b, 1)), call(ctx.runtime('createRng'), 'seed', stream++))])),
  ]);
  statements.push(
    withDoc(
      f.createFunctionDeclaration(exportMod(), undefined, 'initWeights', undefined,
        [f.createParameterDeclaration(undefined, undefined, 'seed', undefined, f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword), num(graph.seed))],
        f.createTypeReferenceNode('Weights'),
        f.createBlock([ret(record(initEntries))], true)),
      "Draws initial weights with each layer's initializers (Keras's distributions), deterministically from `seed`.",
      `@param seed Default: the spec's seed, ${graph.seed}.`,
    ),
  );

  // loadWeights.
  const load: ts.Statement[] = [];
  const layerNames = plans.filter((p) => p.params.length > 0).map((p) => p.layer.name);
  load.push(f.createExpressionStatement(call(ctx.runtime('onlyKeys'), 'json', f.createArrayLiteralExpression(layerNames.map(str)), str('weights'))));
  const loadEntries: [string, ts.Expression][] = [];
  for (const p of plans.filter((q) => q.params.length > 0)) {
    const local = names.allocate(`${p.layer.name}_json`);
    const path = `weights.${p.layer.name}`;
    load.push(constVar(local, call(ctx.runtime('member'), 'json', str(p.layer.name), str('weights'))));
    load.push(f.createExpressionStatement(call(ctx.runtime('onlyKeys'), local, f.createArrayLiteralExpression(p.params.map((q) => str(q.name))), str(path))));
    loadEntries.push([p.layer.name, record(p.params.map((q) => [q.name, call(ctx.runtime('readParam'), call(ctx.runtime('member'), local, str(q.name), str(path)), str(`${path}.${q.name}`), f.createArrayLiteralExpression(q.shape.map(num)))]))]);
  }
  load.push(ret(record(loadEntries)));
  statements.push(
    withDoc(
      f.createFunctionDeclaration(exportMod(), undefined, 'loadWeights', undefined,
        [f.createParameterDeclaration(undefined, undefined, 'json', undefined, f.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword))],
        f.createTypeReferenceNode('Weights'), f.createBlock(load, true)),
      'Checks and loads weights in the JSON form of a weights file: one object per layer, each parameter a nested array',
      "in Keras's layout. Throws a TypeError or RangeError that names the layer, the parameter and the expected shape.",
    ),
  );

  // predict.
  const body: ts.Statement[] = [];
  graph.inputs.forEach((input, index) => {
    const op = tensorOf.get(input.name)!;
    const rowSize = input.shape.slice(1).reduce<number>((a, d) => a * (d as number), 1);
    body.push(withComment(constVar(op.buffer, prop('inputs', input.name)), `Input "${input.name}" ${formatShape(input.shape)} (${where(input.pointer)})`));
    const check = call(ctx.runtime('batchOf'), op.buffer, str(input.name), rowSize, isKnown(input.shape[0]!) ? input.shape[0] : 0);
    body.push(index === 0 ? constVar('batch', check) : f.createExpressionStatement(call(ctx.runtime('batchOf'), op.buffer, str(input.name), rowSize, isKnown(input.shape[0]!) ? input.shape[0] : id('batch'))));
  });
  for (const plan of plans) {
    const { layer } = plan;
    const comment = `${layer.name}: ${layer.def.describe(layer.config)} (${where(layer.pointer)}), ${plan.inputTypes.map((t) => formatShape(t.shape)).join(', ')} -> ${plan.outputs.map((o) => formatShape(o.type.shape)).join(', ')}`;
    const allocations = plan.outputs.map((o, i) => {
      const s = constVar(o.buffer, newCall(arrayOf[o.type.dtype], mul(...o.type.shape.map((d) => ctx.dim(d)))));
      return i === 0 ? withComment(s, comment) : s;
    });
    const weightsOf = layer.name;
    const io: LayerIO = {
      layer,
      rows: id('batch'),
      inputs: layer.inputs.map((r) => operand(r.node, r.output)),
      outputs: plan.outputs,
      initialState: layer.initialState.map((r) => operand(r.node, r.output)),
      weight: (param) => prop(prop('weights', weightsOf), param),
    };
    body.push(...allocations, ...layer.def.emit(ctx, io));
  }
  body.push(ret(record(graph.outputs.map((o) => [o.name, id(operand(o.ref.node, o.ref.output).buffer)]))));
  const usesWeights = plans.some((p) => p.params.length > 0);
  statements.push(
    withDoc(
      f.createFunctionDeclaration(exportMod(), undefined, 'predict', undefined,
        [
          f.createParameterDeclaration(undefined, undefined, 'inputs', undefined, f.createTypeReferenceNode('Inputs')),
          f.createParameterDeclaration(undefined, undefined, usesWeights ? 'weights' : '_weights', undefined, f.createTypeReferenceNode('Weights')),
        ],
        f.createTypeReferenceNode('Outputs'), f.createBlock(body, true)),
      'The forward pass (inference): the inputs by name in, the outputs by name out, as fresh arrays.',
      'Throws a RangeError when an input does not have the size its shape requires.',
    ),
  );

  const header = [
    `// DO NOT EDIT: generated by modelc from ${commentText(graph.file)}.`,
    `// Model "${commentText(graph.name)}": ${graph.inputs.map((i) => `${i.name} ${formatShape(i.shape)}`).join(', ')} -> ${graph.outputs.map((o, i) => `${o.name} ${formatShape(outputTypes[i]!.shape)}`).join(', ')}.`,
  ].join('\n');
  const runtime = runtimeText(used);
  const runtimeNote = '// Runtime kernels (modelc src/runtime), copied so that this module imports nothing.';
  return [header, printStatements(statements), runtimeNote, ...runtime].join('\n\n') + '\n';
}

function constExport(name: string, init: ts.Expression): ts.VariableStatement {
  return f.createVariableStatement(exportMod(), f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, init)], ts.NodeFlags.Const));
}
