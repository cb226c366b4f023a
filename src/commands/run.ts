// `modelc run SPEC --input IN.json [--weights W.json] [--output OUT.json]`: compile, load the
// generated module, run it on nested-array inputs, print nested-array outputs.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Graph } from '../ir/graph.js';
import { loadGeneratedModule } from '../load-module.js';
import type { Host } from '../host.js';
import { describeContent, readFileLimited } from '../source/read-file.js';
import { decodeSafetensors, SafetensorsError, tensorsToWeightsJson } from '../weights/safetensors.js';
import { kerasWeightTensors } from '../weights/keras-weights.js';
import { graphParams } from '../ir/params.js';
import type { CompileResult } from '../compile.js';
import { formatShape, isKnown } from '../shapes/dim.js';
import { compileFile, report } from './load.js';
import { writeOutputs } from './write.js';

export interface RunOptions {
  readonly input: string;
  readonly weights?: string | undefined;
  readonly output?: string | undefined;
}

export async function run(host: Host, file: string, options: RunOptions): Promise<number> {
  const compiled = compileFile(host, file);
  if (report(host, [compiled], 'text', 'stderr')) return 1;
  const { graph, output } = compiled.result;
  const readJson = (path: string, what: string): unknown => {
    const read = readFileLimited(isAbsolute(path) ? path : resolve(host.cwd, path));
    if (!read.ok) throw new UserError(`cannot read the ${what} file "${path}"${read.reason === 'missing' ? '' : `: ${read.message}`}.`);
    const text = read.bytes.toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // JSON.parse's message quotes the text; say what was expected and what the file is instead.
      throw new UserError(`the ${what} file "${path}" is not valid JSON (expected a JSON ${what === 'input' ? 'object or list' : 'object'}; found ${describeContent(read.bytes)}).`);
    }
  };
  try {
    const mod = await loadGeneratedModule(output!.text);
    // Default: the module's own (the spec's weights file, embedded, else its initializers).
    let weights: unknown;
    try {
      const file = options.weights;
      weights =
        file === undefined
          ? mod.defaultWeights()
          : mod.loadWeights(/\.safetensors$/i.test(file) ? readSafetensors(host, file) : /\.(keras|h5)$/i.test(file) ? readKeras(host, file, compiled.result) : readJson(file, 'weights'));
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`the weights do not fit the model: ${(error as Error).message}`);
    }
    const inputJson = readJson(options.input, 'input');
    const calls = Array.isArray(inputJson) ? inputJson : [inputJson];
    // One model instance for every call, so the states of stateful layers carry from call to call.
    const model = new mod.Model(weights);
    const results = calls.map((call, index) => {
      if (call === 'reset_states') {
        model.resetStates?.();
        return null;
      }
      const where = Array.isArray(inputJson) ? `call ${index + 1}: ` : '';
      const inputs = toInputs(graph!, call, where);
      const first = (call as Record<string, unknown>)[graph!.inputs[0]!.name];
      let outputs: Record<string, Float32Array>;
      try {
        outputs = model.predict(inputs, { batch: Array.isArray(first) ? first.length : 1 });
      } catch (error) {
        throw new UserError(`${where}${(error as Error).message}`);
      }
      return Object.fromEntries(Object.entries(outputs).map(([name, data]) => [name, nest(data, mod.outputShapes[name]!)]));
    });
    const text = `${JSON.stringify(Array.isArray(inputJson) ? results : results[0])}\n`;
    if (options.output === undefined) host.stdout(text);
    else {
      const target = isAbsolute(options.output) ? options.output : resolve(host.cwd, options.output);
      if (writeOutputs(host, dirname(target), [{ path: target, data: text }])) return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof UserError) {
      host.stderr(`modelc run: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

class UserError extends Error {}

/** A binary weights file named by --weights, read with the size limit. */
function readBinary(host: Host, path: string): Uint8Array {
  const read = readFileLimited(isAbsolute(path) ? path : resolve(host.cwd, path));
  if (!read.ok) throw new UserError(`cannot read the weights file "${path}"${read.reason === 'missing' ? '' : `: ${read.message}`}.`);
  return read.bytes;
}

/** A Keras file's weights (read by layer name) in the JSON weights form, for the module's loadWeights. */
function readKeras(host: Host, path: string, result: CompileResult): unknown {
  const bytes = readBinary(host, path);
  try {
    return tensorsToWeightsJson(kerasWeightTensors(bytes, path, graphParams(result.graph!, result.types!)));
  } catch (error) {
    throw new UserError(`the weights file "${path}" cannot be read as Keras weights: ${(error as Error).message}`);
  }
}

/** A .safetensors weights file in the JSON weights form, for the module's loadWeights. */
function readSafetensors(host: Host, path: string): unknown {
  const bytes = readBinary(host, path);
  try {
    return tensorsToWeightsJson(decodeSafetensors(bytes));
  } catch (error) {
    if (error instanceof SafetensorsError) throw new UserError(`the weights file "${path}" is not a valid .safetensors file: ${error.message}`);
    throw error;
  }
}

/** Nested-array inputs to flat typed arrays, checking names and shapes against the spec. */
function toInputs(graph: Graph, value: unknown, where: string): Record<string, Float32Array | Int32Array | Uint8Array> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${where}the input must be an object from input name to nested array.`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!graph.inputs.some((i) => i.name === key)) throw new UserError(`${where}the model has no input "${key}" (its inputs: ${graph.inputs.map((i) => i.name).join(', ')}).`);
  }
  const result: Record<string, Float32Array | Int32Array | Uint8Array> = {};
  for (const input of graph.inputs) {
    // Own keys only: an input named `constructor` or `toString` left out is missing, not inherited.
    if (!Object.hasOwn(record, input.name)) throw new UserError(`${where}missing input "${input.name}", shape ${formatShape(input.shape)}.`);
    const flat: number[] = [];
    const walk = (node: unknown, axis: number, path: string): void => {
      if (axis === input.shape.length) {
        const ok = input.dtype === 'bool' ? typeof node === 'boolean' : typeof node === 'number' && Number.isFinite(node) && (input.dtype !== 'int32' || Number.isInteger(node));
        if (!ok) throw new UserError(`${where}${path} must be ${input.dtype === 'bool' ? 'true or false' : input.dtype === 'int32' ? 'an integer' : 'a finite number'}, got ${typeof node === 'number' ? String(node) : JSON.stringify(node)}.`);
        flat.push(node === true ? 1 : node === false ? 0 : (node as number));
        return;
      }
      const dim = input.shape[axis]!;
      if (!Array.isArray(node) || (isKnown(dim) && node.length !== dim) || node.length === 0) {
        throw new UserError(`${where}${path} must be a list of ${isKnown(dim) ? dim : 'one or more'} (input "${input.name}" has shape ${formatShape(input.shape)}).`);
      }
      node.forEach((child, i) => walk(child, axis + 1, `${path}[${i}]`));
    };
    walk(record[input.name], 0, input.name);
    result[input.name] = input.dtype === 'float32' ? Float32Array.from(flat) : input.dtype === 'int32' ? Int32Array.from(flat) : Uint8Array.from(flat);
  }
  return result;
}

/** A flat row-major array to nested lists of `shape` (null dimensions: the batch, from the length). */
function nest(data: Float32Array, shape: readonly (number | null)[]): unknown {
  const known = shape.reduce<number>((a, d) => a * (d ?? 1), 1);
  const dims = shape.map((d) => d ?? data.length / known);
  const build = (axis: number, offset: number): unknown => {
    if (axis === dims.length) return data[offset];
    const stride = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[axis]! }, (_, i) => build(axis + 1, offset + i * stride));
  };
  return build(0, 0);
}
