// Shared layers: every application of one set of weights (a layer and the entries that `shares`
// it) must need parameters of the same shapes. Inputs may differ where the weights do not depend
// on them (a recurrent layer's length, an Embedding's sequence length), as in Keras; they may not
// where they do (the features a kernel multiplies).
import type { LayerNode } from '../ir/graph.js';
import type { ParamSpec, ShapeContext } from '../layers/layer.js';
import { formatShape, type TensorType } from './dim.js';

interface Application {
  readonly layer: LayerNode;
  readonly inputs: readonly TensorType[];
  readonly params: readonly ParamSpec[];
}

/** The first inferred application of each set of weights, to compare the later ones with. */
export class SharedWeights {
  private readonly first = new Map<string, Application>();
  /** The layers some entry shares. */
  private readonly owners: ReadonlySet<string>;

  constructor(layers: readonly LayerNode[]) {
    this.owners = new Set(layers.flatMap((l) => (l.shares === undefined ? [] : [l.shares])));
  }

  /** Whether `layer`'s parameters for `inputs` fit those of the earlier applications of its weights; reports MC3015 when not. */
  fits(layer: LayerNode, inputs: readonly TensorType[], ctx: ShapeContext): boolean {
    const owner = layer.shares ?? layer.name;
    if (!this.owners.has(owner)) return true;
    const params = layer.def.params(layer, inputs);
    const first = this.first.get(owner);
    if (!first) {
      this.first.set(owner, { layer, inputs, params });
      return true;
    }
    const differs = params.find((p, i) => formatShape(p.shape) !== formatShape(first.params[i]?.shape ?? []));
    if (!differs) return true;
    const theirs = first.params.find((p) => p.name === differs.name)!;
    ctx.error('MC3015', {
      layer: `${layer.type} layer "${layer.name}"`,
      other: `"${first.layer.name}"`,
      owner: `"${owner}"`,
      param: differs.name,
      needed: formatShape(differs.shape),
      has: formatShape(theirs.shape),
      shape: inputs.map((t) => formatShape(t.shape)).join(', '),
      otherShape: first.inputs.map((t) => formatShape(t.shape)).join(', '),
    }, {
      related: [ctx.definedHere(first.layer)],
      hint: `give "${layer.name}" an input whose size matches "${first.layer.name}"'s where the weights depend on it (its features, the last axis); a shared layer may read other lengths (timesteps), or take a layer of its own.`,
    });
    return false;
  }
}
