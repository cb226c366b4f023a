// `modelc plot`: the model as a picture, like Keras's `plot_model(show_shapes=True,
// show_layer_activations=True, expand_nested=True)`: one box per layer (name and class, input and
// output shapes, activation, parameter count), an arrow for every connection (named outputs,
// initial states and masks labelled), wrapped layers drawn inside their wrapper, and a small box
// per model output. Laid out by dagre; written as one self-contained SVG with no scripts, fonts
// or images from outside.
//
// Deterministic: the same spec gives the same bytes (dagre is deterministic for a fixed insertion
// order, which is the spec's; coordinates are rounded). Text is set in a monospace font and
// measured as `characters × CHAR_WIDTH × size`: DejaVu Sans Mono, Liberation Mono, Menlo and
// Consolas all advance 0.60 em per character, so a label's width is known without a font engine
// and every label fits its box (test/plot/ checks this in a real browser when one is installed).
import dagre from '@dagrejs/dagre';
import { layerRefs, nodeMap, specIndex, type Graph, type LayerNode, type TypeMap } from '../ir/graph.js';
import { graphParams, paramCount } from '../ir/params.js';
import { formatShape, type Shape } from '../shapes/dim.js';
import { typeOf } from '../shapes/infer.js';

export interface PlotOptions {
  /** Top to bottom (default), as Keras's plot_model, or left to right. */
  readonly rankdir?: 'TB' | 'LR';
}

const FONT = "'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";
const SIZE = 12;
/** The advance of one character of the monospace fonts above, in em (0.6 for all of them; a little spare). */
const CHAR_WIDTH = 0.61;
const LINE = 16;
const PAD = 8;

const width = (text: string, size = SIZE) => Math.ceil(text.length * CHAR_WIDTH * size);

/** A box's content: a bold title, then rows of text, then nested boxes (a wrapper's layers). */
interface Box {
  readonly title: string;
  readonly rows: readonly string[];
  readonly children: readonly Box[];
  readonly kind: 'input' | 'layer' | 'inner' | 'output';
}

interface Sized extends Box {
  readonly w: number;
  readonly h: number;
  readonly sizedChildren: readonly Sized[];
}

function size(box: Box): Sized {
  const children = box.children.map(size);
  const textW = Math.max(width(box.title), ...box.rows.map((r) => width(r)));
  const childW = children.length === 0 ? 0 : children.reduce((s, c) => s + c.w, 0) + PAD * (children.length - 1);
  const w = Math.max(textW, childW) + 2 * PAD;
  const textH = LINE * (1 + box.rows.length) + (box.rows.length > 0 ? PAD / 2 : 0);
  const childH = children.length === 0 ? 0 : Math.max(...children.map((c) => c.h)) + PAD;
  return { ...box, w, h: textH + childH + PAD, sizedChildren: children };
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => String(Math.round(n * 10) / 10);
const count = (n: number) => n.toLocaleString('en-US');

/** The box for one layer; a wrapper holds its wrapped layer(s). */
function layerBox(layer: LayerNode, rows: string[], kind: Box['kind']): Box {
  const children: Box[] = [];
  if (layer.inner) children.push(innerBox(layer.inner, layer.type === 'Bidirectional' ? 'forward' : undefined));
  if (layer.type === 'Bidirectional' && layer.inner) children.push(innerBox(layer.backward ?? layer.inner, 'backward'));
  return { title: `${layer.name} (${layer.type})`, rows, children, kind };
}

function innerBox(layer: LayerNode, role: string | undefined): Box {
  return { title: `${role ?? 'layer'}: ${layer.type}`, rows: describe(layer), children: [], kind: 'inner' };
}

/** The options worth a line: sizes, activations, Bidirectional's merge mode. */
function describe(layer: LayerNode): string[] {
  const c = layer.config;
  const rows: string[] = [];
  for (const key of ['units', 'filters', 'kernel_size', 'pool_size', 'rate', 'input_dim', 'output_dim', 'num_heads', 'key_dim'] as const) {
    if (typeof c[key] === 'number' || Array.isArray(c[key])) rows.push(`${key}: ${JSON.stringify(c[key]).replace(/,/g, ', ')}`);
  }
  if (layer.type === 'Bidirectional') rows.push(`merge_mode: ${c.merge_mode ?? 'null'}`);
  if ('activation' in c) rows.push(`activation: ${c.activation ?? 'linear'}`);
  if ('recurrent_activation' in c) rows.push(`recurrent activation: ${c.recurrent_activation ?? 'linear'}`);
  return rows;
}

function shapes(list: readonly Shape[]): string {
  return list.length === 0 ? '?' : list.map((s) => formatShape(s)).join(', ');
}

/** The picture of a checked graph, as SVG text. */
export function plotSvg(graph: Graph, types: TypeMap, options: PlotOptions = {}): string {
  const rankdir = options.rankdir ?? 'TB';
  const nodes = nodeMap(graph);
  const params = new Map(graphParams(graph, types).map((p) => [p.layer.name, paramCount(p.params)] as const));
  const boxes = new Map<string, Sized>();
  for (const input of graph.inputs) {
    boxes.set(input.name, size({ title: `${input.name} (InputLayer)`, rows: [`shape: ${formatShape(input.shape)}`, ...(input.dtype === 'float32' ? [] : [`dtype: ${input.dtype}`])], children: [], kind: 'input' }));
  }
  const layers = [...graph.layers].sort((a, b) => specIndex(a) - specIndex(b));
  for (const layer of layers) {
    const inputShapes = layer.inputs.map((r) => typeOf(types, nodes, r)?.shape).map((s) => (s ? formatShape(s) : '?'));
    const rows = [
      `input: ${inputShapes.join(', ') || '-'}`,
      `output: ${shapes((types.get(layer.name) ?? []).map((t) => t.shape))}`,
      ...(layer.inner ? [] : describe(layer)),
      layer.shares === undefined ? `params: ${count(params.get(layer.name) ?? 0)}` : `params: those of ${layer.shares}`,
    ];
    boxes.set(layer.name, size(layerBox(layer, rows, 'layer')));
  }
  const outputId = (name: string) => `output:${name}`;
  for (const out of graph.outputs) {
    const type = typeOf(types, nodes, out.ref);
    boxes.set(outputId(out.name), size({ title: `output ${out.name}`, rows: type ? [formatShape(type.shape)] : [], children: [], kind: 'output' }));
  }

  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir, nodesep: 24, ranksep: 36, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [id, box] of boxes) g.setNode(id, { width: box.w, height: box.h });
  interface EdgeInfo {
    readonly from: string;
    readonly to: string;
    readonly label: string;
  }
  const edges: EdgeInfo[] = [];
  for (const layer of layers) {
    const states = new Set(layer.initialState);
    for (const ref of layerRefs(layer)) {
      const role = states.has(ref) ? 'initial state' : ref === layer.mask ? 'mask' : undefined;
      const label = [ref.output, role].filter(Boolean).join(' → ');
      edges.push({ from: ref.node, to: layer.name, label });
    }
  }
  for (const out of graph.outputs) edges.push({ from: out.ref.node, to: outputId(out.name), label: out.ref.output ?? '' });
  edges.forEach((e, i) => {
    const labelSize = e.label ? { width: width(e.label, SIZE - 2) + 6, height: LINE, labelpos: 'c' as const } : {};
    g.setEdge(e.from, e.to, { ...labelSize, minlen: 1 }, `e${i}`);
  });
  dagre.layout(g);

  const { width: totalW = 0, height: totalH = 0 } = g.graph() as { width?: number; height?: number };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(totalW)}" height="${num(totalH)}" viewBox="0 0 ${num(totalW)} ${num(totalH)}" font-family="${escape(FONT)}" font-size="${SIZE}">`,
    `<title>${escape(`Model "${graph.name}" (${graph.file})`)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#444"/></marker></defs>',
    '<rect width="100%" height="100%" fill="#fff"/>',
  );
  edges.forEach((e, i) => {
    const edge = g.edge(e.from, e.to, `e${i}`) as { points: { x: number; y: number }[]; x?: number; y?: number };
    const d = edge.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${num(p.x)},${num(p.y)}`).join('');
    out.push(`<g class="edge" data-from="${escape(e.from)}" data-to="${escape(e.to)}"><path d="${d}" fill="none" stroke="#444" stroke-width="1.2" marker-end="url(#arrow)"/>`);
    if (e.label && edge.x !== undefined && edge.y !== undefined) {
      const w = width(e.label, SIZE - 2) + 6;
      out.push(`<rect x="${num(edge.x - w / 2)}" y="${num(edge.y - LINE / 2)}" width="${num(w)}" height="${LINE}" fill="#fff"/><text x="${num(edge.x)}" y="${num(edge.y + 4)}" text-anchor="middle" font-size="${SIZE - 2}" fill="#333">${escape(e.label)}</text>`);
    }
    out.push('</g>');
  });
  for (const [id, box] of boxes) {
    const node = g.node(id) as { x: number; y: number };
    out.push(`<g class="node ${box.kind}" data-name="${escape(id)}">`);
    drawBox(out, box, node.x - box.w / 2, node.y - box.h / 2);
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const style: Record<Box['kind'], { fill: string; head: string; stroke: string; dash?: string }> = {
  input: { fill: '#f3f7ff', head: '#dbe7ff', stroke: '#35538a' },
  layer: { fill: '#ffffff', head: '#e8eef7', stroke: '#333333' },
  inner: { fill: '#fbfbfb', head: '#f0f0f0', stroke: '#777777', dash: '4 3' },
  output: { fill: '#f5fbf3', head: '#e1f2dc', stroke: '#3d7a33' },
};

function drawBox(out: string[], box: Sized, x: number, y: number): void {
  const s = style[box.kind];
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
  out.push(`<rect class="box" x="${num(x)}" y="${num(y)}" width="${num(box.w)}" height="${num(box.h)}" rx="3" fill="${s.fill}" stroke="${s.stroke}"${dash}/>`);
  out.push(`<rect x="${num(x + 0.5)}" y="${num(y + 0.5)}" width="${num(box.w - 1)}" height="${LINE + 4}" rx="3" fill="${s.head}"/>`);
  let ty = y + LINE;
  out.push(`<text x="${num(x + PAD)}" y="${num(ty)}" font-weight="bold">${escape(box.title)}</text>`);
  ty += PAD / 2;
  for (const row of box.rows) {
    ty += LINE;
    out.push(`<text x="${num(x + PAD)}" y="${num(ty)}">${escape(row)}</text>`);
  }
  let cx = x + PAD;
  const cy = y + LINE * (1 + box.rows.length) + (box.rows.length > 0 ? PAD / 2 : 0) + PAD;
  for (const child of box.sizedChildren) {
    drawBox(out, child, cx, cy);
    cx += child.w + PAD;
  }
}
