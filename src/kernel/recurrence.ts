// The recurrence driver shared by recurrent cells: the cell emits one timestep for a step index
// (a literal or the loop variable); the driver emits either straight-line code for every
// timestep (`unroll: true`) or one loop (`unroll: false`).
import { block, forRange, ifThen, neq, stmt, withComment, type Ex } from './build.js';
import type { Stmt } from './ir.js';
import type { EmitContext } from '../layers/layer.js';

export interface Recurrence {
  readonly ctx: EmitContext;
  /** Number of timesteps: a literal when known. */
  readonly steps: Ex;
  readonly unroll: boolean;
  /**
   * Timesteps known at compile time, needed to unroll. When `steps` is a variable too, the layer's
   * function serves the forward pass (knownSteps timesteps) and a streaming step (one).
   */
  readonly knownSteps: number | undefined;
  /** The statements of one timestep. */
  readonly step: (s: Ex) => Stmt[];
  /** A name for hoisted code: the layer's. */
  readonly name: string;
}

export function emitRecurrence(r: Recurrence): Stmt[] {
  if (r.knownSteps === 1) return [block(r.step(0))];
  if (r.unroll) {
    if (r.knownSteps === undefined) throw new Error('internal: unroll needs known timesteps (checked by shape inference)');
    // One straight-line call per timestep. The timestep's body lives in one hoisted function:
    // repeated inline, its activation calls would exhaust V8's inlining budget (the calls then
    // box every number they return) and a long sequence would pass the bytecode size V8 optimizes.
    const stepFunction = r.ctx.hoist(`${r.name}_timestep`, ['s'], r.step('s'));
    const calls = Array.from({ length: r.knownSteps }, (_, s) => withComment(stmt(stepFunction(s)), `timestep ${s}`));
    if (typeof r.steps === 'number' || (typeof r.steps === 'object' && r.steps.kind === 'num')) return calls;
    return [calls[0]!, withComment(ifThen(neq(r.steps, 1), calls.slice(1)), `the other ${r.knownSteps - 1} timesteps in a full forward pass (a streaming step has one)`)];
  }
  const s = r.ctx.names.allocate('step');
  return [forRange(s, 0, r.steps, r.step(s))];
}
