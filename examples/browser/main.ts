// The seed model in a browser: imported as a spec through modelc/plugin (compiled at build time,
// no runtime library), run on a fixed input; the page shows the output shapes, the first numbers
// and the time per call, and leaves every number on `window.modelcResult` for the test.
import { Model, inputShapes, outputShapes } from '../../models/seed_lstm_state.yaml';

/** The input the test also gives the model in Node: x[b, t, 0] = sin(t / 3) · (1 + b / 32). */
export function seedInput(): Float32Array {
  const [batch, steps] = [inputShapes.x[0], inputShapes.x[1]];
  const x = new Float32Array(batch * steps);
  for (let b = 0; b < batch; b++) for (let t = 0; t < steps; t++) x[b * steps + t] = Math.sin(t / 3) * (1 + b / 32);
  return x;
}

const model = new Model();
const x = seedInput();
const outputs = model.predict({ x });
const result: Record<string, number[]> = Object.fromEntries(Object.entries(outputs).map(([name, data]) => [name, Array.from(data)]));

const calls = 50;
const start = performance.now();
for (let i = 0; i < calls; i++) model.predict({ x });
const perCall = (performance.now() - start) / calls;

const rows = document.querySelector('#outputs tbody')!;
for (const [name, shape] of Object.entries(outputShapes)) {
  const row = rows.appendChild(document.createElement('tr'));
  for (const text of [name, `(${shape.join(', ')})`, '…, ' + result[name]!.slice(-4).map((v) => v.toFixed(6)).join(', ')]) row.appendChild(document.createElement('td')).textContent = text;
}
document.querySelector('#timing')!.textContent = `${perCall.toFixed(3)} ms per call (batch ${inputShapes.x[0]}, ${calls} calls)`;
(window as unknown as { modelcResult: unknown }).modelcResult = { outputs: result, perCall };
document.querySelector('#status')!.textContent = 'done';
