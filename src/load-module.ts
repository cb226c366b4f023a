// Loading a generated module in-process: transpile its TypeScript with the compiler API and
// import the JavaScript from a data: URL. Used by `modelc run` and by tests.
import ts from 'typescript';

/** The exports every generated module has (see the README for the exact types). */
export interface GeneratedModule {
  readonly inputShapes: Readonly<Record<string, readonly (number | null)[]>>;
  readonly outputShapes: Readonly<Record<string, readonly (number | null)[]>>;
  readonly weightShapes: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  initWeights(seed?: number): unknown;
  loadWeights(json: unknown): unknown;
  predict(inputs: Record<string, Float32Array | Int32Array | Uint8Array>, weights: unknown): Record<string, Float32Array>;
}

export async function loadGeneratedModule(text: string): Promise<GeneratedModule> {
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  return (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as GeneratedModule;
}
