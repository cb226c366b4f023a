// The recurrence driver shared by recurrent cells: the cell emits one timestep for a step index
// (a literal or the loop variable); the driver emits either straight-line code for every
// timestep (`unroll: true`) or one loop (`unroll: false`).
import type ts from 'typescript';
import { block, forRange, stmt, withComment, type Ex } from './builders.js';
import type { EmitContext } from '../layers/layer.js';

export interface Recurrence {
  readonly ctx: EmitContext;
  /** Number of timesteps: a literal when known. */
  readonly steps: Ex;
  readonly unroll: boolean;
  /** Timesteps known at compile time, needed to unroll. */
  readonly knownSteps: number | undefined;
  /** The statements of one timestep. */
  readonly step: (s: Ex) => ts.Statement[];
  /** A name for hoisted code: the layer's. */
  readonly name: string;
}

export function emitRecurrence(r: Recurrence): ts.Statement[] {
  if (r.knownSteps === 1) return [block(r.step(0))];
  if (r.unroll) {
    if (r.knownSteps === undefined) throw new Error('internal: unroll needs known timesteps (checked by shape inference)');
    // One straight-line call per timestep. The timestep's body lives in one hoisted function:
    // repeated inline, its activation calls would exhaust V8's inlining budget (the calls then
    // box every number they return) and a long sequence would pass the bytecode size V8 optimizes.
    const stepFunction = r.ctx.hoist(`${r.name}_timestep`, ['s'], r.step('s'));
    return Array.from({ length: r.knownSteps }, (_, s) => withComment(stmt(stepFunction(s)), `timestep ${s}`));
  }
  const s = r.ctx.names.allocate('step');
  return [forRange(s, 0, r.steps, r.step(s))];
}
