// A weight's `<prefix>_regularizer` and `<prefix>_constraint` options, for its ParamSpec.
import type { LayerConfig } from '../../ir/graph.js';
import type { ParamSpec } from '../layer.js';
import { constraintOf } from './constraints.js';
import { regularizerOf } from './regularizers.js';

export function weightOptions(config: LayerConfig, prefix: string): Pick<ParamSpec, 'regularizer' | 'constraint'> {
  return { regularizer: regularizerOf(config[`${prefix}_regularizer`]), constraint: constraintOf(config[`${prefix}_constraint`]) };
}
