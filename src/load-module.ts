// Loading a generated module in-process: transpile its TypeScript with the compiler API and
// import the JavaScript from a data: URL. Used by `modelc run` and by tests.
import ts from 'typescript';

/** The exports every generated module has (see the README for the exact types). */
export interface GeneratedModule {
  readonly inputShapes: Readonly<Record<string, readonly (number | null)[]>>;
  readonly outputShapes: Readonly<Record<string, readonly (number | null)[]>>;
  readonly weightShapes: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  initWeights(seed?: number): unknown;
  defaultWeights(): unknown;
  loadWeights(json: unknown): unknown;
  predict(inputs: GeneratedInputs, weights: unknown, options?: { training?: boolean; seed?: number; batch?: number }): Record<string, Float32Array>;
  readonly Model: new (weights?: unknown, options?: { engine?: 'auto' | 'wasm' | 'js' }) => GeneratedModel;
  /** Present in modules built with the WebAssembly engine (the default). */
  readonly createModel?: (weights?: unknown, options?: { engine?: 'auto' | 'wasm' | 'js' }) => Promise<GeneratedModel>;
}

export type GeneratedInputs = Record<string, Float32Array | Int32Array | Uint8Array>;

/** The generated Model class; resetStates, getStates and setStates exist when the model has states, step when it streams. */
export interface GeneratedModel {
  /** Which engine runs: 'wasm' or 'js'. */
  readonly engine: 'wasm' | 'js';
  predict(inputs: GeneratedInputs, options?: { training?: boolean; seed?: number; batch?: number }): Record<string, Float32Array>;
  step?(inputs: GeneratedInputs): Record<string, Float32Array>;
  resetStates?(): void;
  getStates?(): Record<string, Record<string, Float32Array>>;
  setStates?(states: Record<string, Record<string, Float32Array>>): void;
}

export async function loadGeneratedModule(text: string): Promise<GeneratedModule> {
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  return (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as GeneratedModule;
}
