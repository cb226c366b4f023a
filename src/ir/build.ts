// Building the typed graph from a validated spec: Keras default names, duplicate names,
// references (default chaining, `input`/`inputs`, NAME.OUTPUT), outputs, and a topological order
// with cycles reported.
import type { DiagnosticBag, RelatedNote } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { layerByType } from '../layers/registry.js';
import { structuralKeys } from '../schema/model-schema.js';
import { BATCH, symbol, type DType } from '../shapes/dim.js';
import { childPointer, layerNames, type SpanIndex } from '../source/parse.js';
import { layerRefs, specIndex, type Graph, type GraphNode, type InputNode, type LayerNode, type OutputBinding, type TensorRef } from './graph.js';

interface SpecInput {
  readonly shape: (number | null)[];
  readonly batch_size?: number | null;
  readonly dtype?: DType;
}

interface SpecLayer extends Record<string, unknown> {
  readonly type: string;
  readonly name?: string;
  readonly input?: string;
  readonly inputs?: string[];
  readonly initial_state?: string[];
  readonly mask?: string;
  readonly layer?: SpecLayer;
  readonly backward_layer?: SpecLayer;
  readonly shares?: string;
}

export interface ModelSpec {
  readonly name: string;
  readonly seed?: number;
  readonly weights?: string;
  readonly inputs: Record<string, SpecInput>;
  readonly layers: SpecLayer[];
  readonly outputs?: string[] | Record<string, string>;
}

export function buildGraph(spec: ModelSpec, file: string, spans: SpanIndex, bag: DiagnosticBag): Graph | undefined {
  const before = bag.errorCount;
  const nodes = new Map<string, GraphNode>();
  const definedAt = (node: GraphNode): RelatedNote => ({
    message: `${node.kind === 'input' ? 'input' : node.type} "${node.name}" is defined here`,
    span: node.kind === 'input' ? spans.key(node.pointer) : spans.value(node.pointer),
  });
  const title = (node: GraphNode): string => (node.kind === 'input' ? `input "${node.name}"` : `${node.type} layer "${node.name}"`);
  /** Where a node's name is written: its `name` value, the input's key, else the layer itself. */
  const nameSpan = (node: GraphNode) => (node.kind === 'input' ? spans.key(node.pointer) : spans.has(`${node.pointer}/name`) ? spans.value(`${node.pointer}/name`) : spans.value(node.pointer));

  // Run-time lengths are symbols: `time`, or `<input>_time` when several inputs have one.
  const variableInputs = Object.values(spec.inputs).filter((i) => i.shape.includes(null)).length;
  const inputs: InputNode[] = Object.entries(spec.inputs).map(([name, input]) => {
    const pointer = childPointer('/inputs', name);
    const node: InputNode = {
      kind: 'input',
      name,
      dtype: input.dtype ?? 'float32',
      shape: [input.batch_size ?? BATCH, ...input.shape.map((d, axis) => d ?? symbol(`${variableInputs > 1 ? `${name}_` : ''}${axis === 0 ? 'time' : `dim${axis + 1}`}`))],
      pointer,
    };
    nodes.set(name, node);
    return node;
  });

  // One batch for the whole model: inputs that fix `batch_size` must agree (Keras would broadcast
  // nothing either; the generated code slices every input by one batch).
  const fixed = inputs.filter((i) => typeof i.shape[0] === 'number');
  const firstFixed = fixed[0];
  for (const input of fixed.slice(1)) {
    if (input.shape[0] === firstFixed!.shape[0]) continue;
    bag.error('MC3012', `Input "${input.name}" has batch_size ${String(input.shape[0])}, but input "${firstFixed!.name}" has batch_size ${String(firstFixed!.shape[0])}: every input of a model carries the same batch.`, {
      span: spans.value(`${input.pointer}/batch_size`),
      related: [{ message: `input "${firstFixed!.name}" sets batch_size ${String(firstFixed!.shape[0])} here`, span: spans.value(`${firstFixed!.pointer}/batch_size`) }],
      hint: `give every input the same batch_size, or leave it out (any batch size).`,
    });
  }

  // Names: explicit ones first, then Keras defaults (lstm, lstm_1, ...) that skip taken names.
  const names = layerNames(spec.layers, Object.keys(spec.inputs)) as string[];

  const layers: LayerNode[] = [];
  const unresolved = new Set<string>();
  spec.layers.forEach((layer, index) => {
    const pointer = `/layers/${index}`;
    const name = names[index]!;
    const refs = layerInputs(layer, index, pointer);
    const initialState = (layer.initial_state ?? []).map((r, i) => parseRef(r, `${pointer}/initial_state/${i}`));
    const node = layer.shares === undefined ? makeLayer(layer, name, pointer, refs, initialState) : shareLayer(layer, layer.shares, name, pointer, refs, initialState);
    if (!node) {
      unresolved.add(name); // reported: references to it stay silent
      return;
    }
    const previous = nodes.get(name);
    if (previous) {
      const taken = new Set([...nodes.keys(), ...names]);
      let free = 1;
      while (taken.has(`${name}_${free}`)) free++;
      bag.error('MC3001', `${node.type} layer #${index + 1} is named "${name}", but that name is already taken by ${title(previous)}.`, {
        span: nameSpan(node),
        related: [{ message: `${title(previous)} is defined here`, span: nameSpan(previous) }],
        hint: `give each layer and input a unique name, e.g. \`name: ${name}_${free}\`.`,
      });
      return;
    }
    nodes.set(name, node);
    layers.push(node);
  });

  function layerInputs(layer: SpecLayer, index: number, pointer: string): TensorRef[] {
    if (layer.inputs !== undefined) return layer.inputs.map((r, i) => parseRef(r, `${pointer}/inputs/${i}`));
    if (layer.input !== undefined) return [parseRef(layer.input, `${pointer}/input`)];
    if (index > 0) return [{ node: names[index - 1]!, output: undefined, pointer }];
    if (inputs.length === 1) return [{ node: inputs[0]!.name, output: undefined, pointer }];
    bag.error('MC3005', `${layer.shares === undefined ? `${layer.type} layer` : 'Layer'} "${names[index]!}" is the first layer and has no \`input\`, but the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}), so there is no default to take.`, {
      span: spans.value(pointer),
      hint: `add \`input: ${inputs[0]?.name ?? 'x'}\` (or \`inputs: [...]\`) to say which.`,
    });
    return [];
  }

  /** An entry `shares: OWNER`: OWNER applied again, with this entry's own wiring (undefined, reported, when OWNER is not a layer above it or is stateful). */
  function shareLayer(layer: SpecLayer, ownerName: string, name: string, pointer: string, refs: TensorRef[], initialState: TensorRef[]): LayerNode | undefined {
    const found = nodes.get(ownerName);
    const owner = found?.kind === 'layer' ? found : undefined;
    if (!owner) {
      reportNoOwner(found, ownerName, name, pointer);
      return undefined;
    }
    const root = owner.shares === undefined ? owner : (nodes.get(owner.shares) as LayerNode);
    const stateful = root.config.stateful === true || root.inner?.config.stateful === true;
    if (stateful) {
      bag.error('MC3014', `Layer "${name}" shares ${root.type} layer "${root.name}", which is stateful: Keras keeps one set of states per layer, so two applications would overwrite each other's states from call to call, and modelc does not guess an order.`, {
        span: spans.value(`${pointer}/shares`),
        related: [definedAt(root)],
        hint: `drop \`stateful: true\` from "${root.name}", or give "${name}" a layer of its own (\`type: ${root.type}\`, its own weights).`,
      });
      return undefined;
    }
    const mask = layer.mask === undefined ? {} : { mask: parseRef(layer.mask, `${pointer}/mask`) };
    return { kind: 'layer', name, type: root.type, def: root.def, config: root.config, pointer, inputs: refs, initialState, ...mask, ...(root.inner ? { inner: root.inner } : {}), ...(root.backward ? { backward: root.backward } : {}), shares: root.name };
  }

  /** MC3013: `shares` names a model input, a layer below the entry, or nothing. */
  function reportNoOwner(found: GraphNode | undefined, ownerName: string, name: string, pointer: string): void {
    const below = spec.layers.some((l, i) => names[i] === ownerName && l.shares === undefined);
    const above = [...nodes.values()].filter((n) => n.kind === 'layer').map((n) => n.name);
    const what = found ? `the model input "${ownerName}"` : below ? 'a layer defined below it' : 'no layer';
    const hint = below
      ? `move "${name}" below layer "${ownerName}" (its first application).`
      : found
        ? `\`shares\` takes a layer; to read the input, write \`input: ${ownerName}\`.`
        : (didYouMean(ownerName, above) ?? `layers above it: ${above.join(', ') || 'none'}.`);
    bag.error('MC3013', `Layer "${name}" shares the weights of "${ownerName}", which is ${what}: \`shares\` names a layer defined above the entry, whose type, options and weights it takes.`, {
      span: spans.value(`${pointer}/shares`),
      ...(found ? { related: [definedAt(found)] } : {}),
      hint,
    });
  }

  function makeLayer(layer: SpecLayer, name: string, pointer: string, refs: TensorRef[], initialState: TensorRef[]): LayerNode {
    const def = layerByType.get(layer.type)!;
    const config: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(def.options)) if ('default' in schema) config[key] = schema.default;
    for (const [key, value] of Object.entries(layer)) if (!(structuralKeys as readonly string[]).includes(key)) config[key] = value;
    if (layer.layer) config.layer = layer.layer;
    if (layer.backward_layer) config.backward_layer = layer.backward_layer;
    const wrappedLayer = (spec: SpecLayer, key: 'layer' | 'backward_layer'): LayerNode => {
      const innerPointer = `${pointer}/${key}`;
      const wrapped = `${spec.type} layer wrapped by ${def.type} layer "${name}"`;
      for (const field of ['name', 'input', 'inputs', 'initial_state', 'mask'] as const) {
        if (spec[field] === undefined) continue;
        bag.error(
          'MC3010',
          field === 'name'
            ? `${wrapped} cannot have a \`name\`: it is part of "${name}", and its weights are stored under that name.`
            : `${wrapped} cannot have \`${field}\`: the wrapper feeds it.`,
          {
            span: spans.key(`${innerPointer}/${field}`),
            hint: field === 'name' ? `drop \`name\` here, or rename the ${def.type} layer.` : `move \`${field}\` to ${def.type} layer "${name}".`,
          },
        );
      }
      return makeLayer(spec, name, innerPointer, [], []);
    };
    const inner = def.wrapper && layer.layer ? wrappedLayer(layer.layer, 'layer') : undefined;
    const backward = def.wrapper && layer.backward_layer ? wrappedLayer(layer.backward_layer, 'backward_layer') : undefined;
    const mask = layer.mask === undefined ? {} : { mask: parseRef(layer.mask, `${pointer}/mask`) };
    return { kind: 'layer', name, type: def.type, def, config, pointer, inputs: refs, initialState, ...mask, ...(inner ? { inner } : {}), ...(backward ? { backward } : {}) };
  }

  // Resolve references.
  const allNames = () => [...nodes.keys()];
  const checkRef = (ref: TensorRef, what: string): void => {
    const node = nodes.get(ref.node);
    if (!node && unresolved.has(ref.node)) return;
    if (!node) {
      bag.error('MC3002', `${what} refers to "${ref.node}", which is neither a model input nor a layer.`, {
        span: spans.value(ref.pointer),
        hint: didYouMean(ref.node, allNames()) ?? `defined names: ${allNames().join(', ')}.`,
      });
      return;
    }
    if (ref.output === undefined) return;
    const outputs = node.kind === 'input' ? [] : node.def.outputNames(node.config);
    if (outputs.includes(ref.output)) return;
    const enabling = node.kind === 'layer' ? node.def.optionalOutputs?.(node.config)[ref.output] : undefined;
    const has = node.kind === 'input' ? 'it has no named outputs' : outputs.length === 1 ? 'it has only its main output' : `its outputs are ${outputs.map((o) => `"${o}"`).join(', ')}`;
    bag.error('MC3004', `${what} refers to "${ref.node}.${ref.output}", but ${title(node)} has no output "${ref.output}": ${has}.`, {
      span: spans.value(ref.pointer),
      related: [definedAt(node)],
      hint: enabling
        ? `set \`${enabling}\` on ${title(node)} to get \`${ref.node}.${ref.output}\`.`
        : outputs.some((o) => o.endsWith(`_${ref.output}`))
          ? `its ${ref.output} states are ${outputs.filter((o) => o.endsWith(`_${ref.output}`)).map((o) => `\`${ref.node}.${o}\``).join(' and ')}.`
          : (didYouMean(ref.output, outputs) ?? `use "${ref.node}" for its main output.`),
    });
  };
  for (const layer of layers) {
    const layerName = title(layer);
    layer.inputs.forEach((ref) => checkRef(ref, layerName));
    layer.initialState.forEach((ref) => checkRef(ref, `The initial_state of ${layerName}`));
    if (layer.mask) checkRef(layer.mask, `The mask of ${layerName}`);
    const count = layer.inputs.length;
    if (count > 0 && (count < layer.def.arity.min || count > layer.def.arity.max)) {
      const expected = layer.def.arity.min === layer.def.arity.max ? `${layer.def.arity.min}` : `${layer.def.arity.min} to ${layer.def.arity.max}`;
      bag.error('MC3006', `${layerName} takes ${expected} input${layer.def.arity.max === 1 ? '' : 's'}. Received: ${count} (${layer.inputs.map((r) => (r.output === undefined ? r.node : `${r.node}.${r.output}`)).join(', ')}).`, {
        span: spans.key(`${layer.pointer}/inputs`),
        ...(layer.def.arity.max === 1 ? { hint: 'use `input: NAME` for a single input.' } : {}),
      });
    }
    if (layer.initialState.length > 0 && !layer.def.recurrent) {
      bag.error('MC2002', `${layerName} does not take \`initial_state\`: only recurrent layers do.`, { span: spans.key(`${layer.pointer}/initial_state`) });
    }
  }

  if (spec.layers.length === 0) {
    bag.error('MC3007', 'The model has no layers.', { span: spans.key('/layers'), hint: 'add at least one layer under `layers:`.' });
  }

  // Outputs.
  const outputs: OutputBinding[] = [];
  if (spec.outputs === undefined) {
    const last = layers[layers.length - 1];
    if (last) outputs.push({ name: last.name, ref: { node: last.name, output: undefined, pointer: last.pointer } });
  } else if (Array.isArray(spec.outputs)) {
    spec.outputs.forEach((r, i) => outputs.push({ name: r.replace('.', '_'), ref: parseRef(r, `/outputs/${i}`) }));
  } else {
    for (const [name, r] of Object.entries(spec.outputs)) outputs.push({ name, ref: parseRef(r, childPointer('/outputs', name)) });
  }
  const seenOutputs = new Map<string, OutputBinding>();
  for (const binding of outputs) {
    checkRef(binding.ref, 'The model output');
    if (nodes.get(binding.ref.node)?.kind === 'input') {
      bag.error('MC3011', `The model output "${binding.name}" is the model input "${binding.ref.node}" itself: no layer computes it.`, {
        span: spans.value(binding.ref.pointer),
        hint: 'name the layer whose output you want, e.g. the last layer.',
      });
    }
    const first = seenOutputs.get(binding.name);
    if (first) {
      bag.error('MC3008', `Two model outputs are named "${binding.name}".`, {
        span: spans.value(binding.ref.pointer),
        related: [{ message: `"${binding.name}" is first listed here`, span: spans.value(first.ref.pointer) }],
        hint: 'list each tensor once, or give them distinct names with the map form `outputs: { name: reference }`.',
      });
    }
    seenOutputs.set(binding.name, binding);
  }

  const ordered = topologicalOrder(layers, nodes, spans, bag);
  if (bag.errorCount > before) return undefined;

  // Layers whose outputs nothing uses (a warning).
  const used = new Set<string>([...layers.flatMap((l) => layerRefs(l).map((r) => r.node)), ...outputs.map((o) => o.ref.node)]);
  for (const layer of layers) {
    if (!used.has(layer.name)) {
      bag.warning('MC3009', `${layer.type} layer "${layer.name}" is never used: no layer reads its output, and it is not a model output.`, {
        span: spans.value(layer.pointer),
        hint: `add "${layer.name}" to \`outputs\`, or remove the layer.`,
      });
    }
  }

  return { file, name: spec.name, seed: spec.seed ?? 0, weightsPath: spec.weights, inputs, layers: ordered, outputs, spans };
}

function parseRef(text: string, pointer: string): TensorRef {
  const dot = text.indexOf('.');
  return dot < 0 ? { node: text, output: undefined, pointer } : { node: text.slice(0, dot), output: text.slice(dot + 1), pointer };
}

/** Layers in an order where every producer comes before its consumers; cycles reported once each. */
function topologicalOrder(layers: readonly LayerNode[], nodes: ReadonlyMap<string, GraphNode>, spans: SpanIndex, bag: DiagnosticBag): LayerNode[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: LayerNode[] = [];
  const reported = new Set<string>();
  /** Report the cycle `found` (each layer reads the next, the last reads the first) once. */
  const reportCycle = (found: LayerNode[]): void => {
    const key = found.map((l) => l.name).sort().join(',');
    if (!reported.has(key)) {
      reported.add(key);
      // Start at the layer written first; cycle[i] reads cycle[i + 1], the last reads the first.
      const start = found.indexOf([...found].sort((a, b) => specIndex(a) - specIndex(b))[0]!);
      const cycle = [...found.slice(start), ...found.slice(0, start)];
      const next = (i: number) => cycle[(i + 1) % cycle.length]!;
      const readSpan = (reader: LayerNode, read: LayerNode) => spans.value(layerRefs(reader).find((r) => r.node === read.name)?.pointer ?? reader.pointer);
      const first = cycle[0]!;
      const title = (l: LayerNode) => `${l.type} layer "${l.name}"`;
      const reads = cycle.map((l, i) => `"${l.name}" reads "${next(i).name}"`);
      const message =
        cycle.length === 1
          ? `${title(first)} reads its own output: a layer cannot depend on itself.`
          : `${cycle.map(title).join(cycle.length === 2 ? ' and ' : ', ')} form a cycle: ${reads.slice(0, -1).join(', ')} and ${reads[reads.length - 1]!}. A layer cannot depend on its own output.`;
      bag.error('MC3003', message, {
        span: readSpan(first, next(0)),
        related: cycle.slice(1).map((l, i) => ({
          message: `"${l.name}" reads "${next(i + 1).name}" here${layerRefs(l).some((r) => r.node === next(i + 1).name && r.pointer === l.pointer) ? ' (it has no `input`, so it reads the layer above it)' : ''}`,
          span: readSpan(l, next(i + 1)),
        })),
        hint: cycle.length === 1 ? 'point `input` at an earlier layer or a model input.' : 'check the `input`/`inputs` of these layers; a layer without `input` reads the layer just above it.',
      });
    }
  };
  // Depth-first with an explicit stack (a chain of 20,000 layers listed consumer-first must not
  // overflow the call stack); `path` is the chain of layers being visited, `at` their positions.
  const path: LayerNode[] = [];
  const at = new Map<string, number>();
  for (const root of layers) {
    if (state.get(root.name) === 'done') continue;
    const frames: { layer: LayerNode; refs: TensorRef[]; next: number }[] = [];
    const enter = (layer: LayerNode): void => {
      state.set(layer.name, 'visiting');
      at.set(layer.name, path.length);
      path.push(layer);
      frames.push({ layer, refs: layerRefs(layer), next: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.next < frame.refs.length) {
        const node = nodes.get(frame.refs[frame.next++]!.node);
        if (node?.kind !== 'layer') continue;
        const s = state.get(node.name);
        if (s === 'visiting') reportCycle(path.slice(at.get(node.name)!));
        else if (s !== 'done') enter(node);
        continue;
      }
      frames.pop();
      path.pop();
      at.delete(frame.layer.name);
      state.set(frame.layer.name, 'done');
      order.push(frame.layer);
    }
  }
  return order;
}
