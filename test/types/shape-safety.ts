// Type-level fixtures (checked by test/typecheck.test.ts, never run). Each `@ts-expect-error`
// must be needed: an unused one is itself an error, so every line below it is a misuse that
// tsc rejects. The lines without it must compile.
import * as state from '../../generated/seed_lstm_state.ts';
import * as dense from '../../generated/seed_lstm_dense.ts';
import * as td from '../../generated/seed_lstm_time_distributed.ts';

const weights = state.initWeights();
const x = new Float32Array(32 * 25 * 1) as state.Float32Tensor<readonly [32, 25, 1]>;

// Correct use compiles: named inputs in, named outputs out.
const out = state.predict({ x }, weights);
const h: state.Float32Tensor<readonly [32, 20]> = out.lstm_h;
const sequence: state.Float32Tensor<readonly [32, 25, 20]> = out.lstm;
void h;
void sequence;

// A plain Float32Array is accepted (its shape is checked at run time).
state.predict({ x: new Float32Array(800) }, weights);

// @ts-expect-error a missing input
state.predict({}, weights);

// @ts-expect-error a misspelt input name
state.predict({ input: x }, weights);

// @ts-expect-error a tensor of the wrong rank: (32, 25) where (32, 25, 1) is expected
state.predict({ x: new Float32Array(800) as state.Float32Tensor<readonly [32, 25]> }, weights);

// @ts-expect-error a wrong static dimension: 3 features where the model takes 1
state.predict({ x: new Float32Array(2400) as state.Float32Tensor<readonly [32, 25, 3]> }, weights);

// @ts-expect-error an output read under a name the model does not have
void out.lstm_state;

// @ts-expect-error a 2-D output used as a 3-D tensor
const wrong: state.Float32Tensor<readonly [32, 25, 20]> = out.lstm_h;
void wrong;

// @ts-expect-error one model's output fed to a model whose input shape differs: (32, 25, 20) is not (32, 25, 3)
td.predict({ x: out.lstm }, td.initWeights());

// @ts-expect-error one model's weights given to another model
dense.predict({ x }, weights);

// Outputs of one model feed another whose input has that shape.
const reuse: dense.Inputs = { x };
dense.predict(reuse, dense.initWeights());
