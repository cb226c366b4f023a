// `npm start` runs this after compiling models/ into generated/: every model of the seed tutorial
// runs through its generated module on random input, and the table of output shapes is printed
// from the arrays the generated code returned.
import * as seedLstm from '../generated/seed_lstm.ts';
import * as seedLstmSequences from '../generated/seed_lstm_sequences.ts';
import * as seedLstmDense from '../generated/seed_lstm_dense.ts';
import * as seedLstmSequencesDense from '../generated/seed_lstm_sequences_dense.ts';
import * as seedLstmTimeDistributed from '../generated/seed_lstm_time_distributed.ts';
import * as seedLstmState from '../generated/seed_lstm_state.ts';

interface Model {
  readonly inputShapes: { readonly x: readonly (number | null)[] };
  readonly outputShapes: Readonly<Record<string, readonly (number | null)[]>>;
  initWeights(seed?: number): never;
  predict(inputs: { x: Float32Array }, weights: never): Readonly<Record<string, Float32Array>>;
}

const rows: [string, string, Model, string][] = [
  ['LSTM(20)(x)', 'seed_lstm', seedLstm as unknown as Model, '(32, 20)'],
  ['LSTM(20, return_sequences=True)(x)', 'seed_lstm_sequences', seedLstmSequences as unknown as Model, '(32, 25, 20)'],
  ['Dense(10) on LSTM(20)', 'seed_lstm_dense', seedLstmDense as unknown as Model, '(32, 10)'],
  ['Dense(10) on LSTM(20, return_sequences=True)', 'seed_lstm_sequences_dense', seedLstmSequencesDense as unknown as Model, '(32, 25, 10)'],
  ['TimeDistributed(Dense(10)) on the sequence', 'seed_lstm_time_distributed', seedLstmTimeDistributed as unknown as Model, '(32, 25, 10)'],
  ['LSTM(20, return_sequences=True, return_state=True), then TimeDistributed(Dense(10))', 'seed_lstm_state', seedLstmState as unknown as Model, '(32, 25, 20), (32, 20), (32, 20), (32, 25, 10)'],
];

/** The shape of a returned array: the declared non-batch axes, and the batch from its length. */
function shapeOf(data: Float32Array, declared: readonly (number | null)[]): string {
  const inner = declared.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
  return `(${[data.length / inner, ...declared.slice(1)].join(', ')})`;
}

let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;

const table = [['Keras model (seed tutorial)', 'spec', 'output shape, computed', 'tutorial says']];
for (const [label, name, model, expected] of rows) {
  const [batch, ...rest] = model.inputShapes.x as number[];
  const x = Float32Array.from({ length: batch! * rest.reduce((a, b) => a * b, 1) }, random);
  const outputs = model.predict({ x }, model.initWeights());
  const computed = Object.entries(outputs).map(([key, data]) => shapeOf(data, model.outputShapes[key]!)).join(', ');
  table.push([label, `models/${name}.yaml`, computed, computed === expected ? `${expected} ✓` : `${expected} ✗`]);
}
const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => [...r[c]!].length)));
const line = (r: string[]) => `| ${r.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join(' | ')} |`;
console.log('\nThe seed tutorial\'s shape table, computed by the generated TypeScript (input x: (32, 25, 1); row 5 uses 3 features):\n');
console.log(line(table[0]!));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of table.slice(1)) console.log(line(r));
console.log('\nThe tutorial\'s mistake, TimeDistributed on the 2-D output, is caught at compile time: npx modelc check models/errors/time_distributed_2d.yaml');
