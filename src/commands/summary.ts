// `modelc summary SPEC [--format json]`: a table like Keras's model.summary(): one row per layer
// object (a shared layer once, with the output shape of its last call, as Keras prints it), and
// Keras's "Connected to" column (`layer[node][tensor]`) when Keras would print it.
import { connections, layerObjects, sequentialLike } from '../ir/connections.js';
import { graphParams, paramCount } from '../ir/params.js';
import type { Graph, LayerNode, TypeMap } from '../ir/graph.js';
import type { ParamSpec } from '../layers/layer.js';
import { formatShape, shapeToJson, type Shape } from '../shapes/dim.js';
import { describeRegularizer, regularizerOf } from '../layers/options/regularizers.js';
import { describeConstraint } from '../layers/options/constraints.js';
import type { Host } from '../host.js';
import { compileFile, report } from './load.js';

export interface SummaryRow {
  readonly layer: LayerNode;
  readonly shapes: readonly Shape[];
  readonly params: readonly ParamSpec[];
  readonly count: number;
  readonly connected: readonly string[];
}

/** One row per layer object, as Keras's summary lists them. */
export function summaryRows(graph: Graph, types: TypeMap): SummaryRow[] {
  const params = new Map(graphParams(graph, types).map((p) => [p.layer.name, p.params] as const));
  const connected = connections(graph);
  return layerObjects(graph).map(({ owner, calls }) => ({
    layer: owner,
    shapes: types.get(calls[calls.length - 1]!.name)!.map((t) => t.shape),
    params: params.get(owner.name)!,
    count: paramCount(params.get(owner.name)!),
    connected: connected.get(owner.name)!,
  }));
}

export function summary(host: Host, file: string, format: 'text' | 'json'): number {
  const compiled = compileFile(host, file);
  const { graph, types } = compiled.result;
  if (report(host, [compiled], 'text', 'stderr') || !graph || !types) return 1;
  const rows = summaryRows(graph, types);
  const total = rows.reduce((s, r) => s + r.count, 0);
  if (format === 'json') {
    const layers = rows.map((r) => ({
      name: r.layer.name,
      type: r.layer.type,
      output_shape: r.shapes.length === 1 ? shapeToJson(r.shapes[0]!) : r.shapes.map(shapeToJson),
      params: r.count,
      connected_to: r.connected,
    }));
    host.stdout(`${JSON.stringify({ layers, total_params: total }, null, 2)}\n`);
    return 0;
  }
  const withConnections = !sequentialLike(graph);
  const table = [
    ['Layer (type)', 'Output Shape', 'Param #', ...(withConnections ? ['Connected to'] : [])],
    ...graph.inputs.map((i) => [`${i.name} (InputLayer)`, formatShape(i.shape), '0', ...(withConnections ? ['-'] : [])]),
    ...rows.map((r) => [`${r.layer.name} (${r.layer.type})`, r.shapes.map(formatShape).join(', '), r.count.toLocaleString('en-US'), ...(withConnections ? [r.connected.join(', ') || '-'] : [])]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('   ').trimEnd();
  const rule = '─'.repeat(Math.max(...table.map((row) => line(row).length)));
  const extras = rows.flatMap(({ layer, params }) => [
    ...params.flatMap((p) => [
      ...(p.regularizer ? [` ${layer.name}.${p.name.replace(/\//g, '.')}: regularizer ${describeRegularizer(p.regularizer)}`] : []),
      ...(p.constraint ? [` ${layer.name}.${p.name.replace(/\//g, '.')}: constraint ${describeConstraint(p.constraint)}`] : []),
    ]),
    ...(regularizerOf(layer.config.activity_regularizer) ? [` ${layer.name}: activity regularizer ${describeRegularizer(regularizerOf(layer.config.activity_regularizer)!)}`] : []),
  ]);
  host.stdout(
    [`Model: "${graph.name}"`, rule, line(table[0]!), rule, ...table.slice(1).map(line), rule, ` Total params: ${total.toLocaleString('en-US')}`, ...(extras.length > 0 ? [rule, ...extras] : []), ''].join('\n'),
  );
  return 0;
}
