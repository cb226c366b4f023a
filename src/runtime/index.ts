// The runtime kernels that generated modules may include, by name, with the file each lives in.
// They are ordinary, tested TypeScript; emit/runtime-copy.ts copies the ones a module uses.
import * as activations from './activations.js';
import * as binaryWeights from './binary-weights.js';
import * as conv from './conv.js';
import * as convTranspose from './conv-transpose.js';
import * as init from './init.js';
import * as linalg from './linalg.js';
import * as normalization from './normalization.js';
import * as regularizers from './regularizers.js';
import * as reshape from './reshape.js';
import * as resize from './resize.js';
import * as tensors from './tensors.js';
import * as wasm from './wasm.js';

export const runtimeModules = { activations, 'binary-weights': binaryWeights, conv, 'conv-transpose': convTranspose, init, linalg, normalization, regularizers, reshape, resize, tensors, wasm } as const;

export type RuntimeFile = keyof typeof runtimeModules;
export type RuntimeName = { [F in RuntimeFile]: keyof (typeof runtimeModules)[F] }[RuntimeFile] & string;

/** The file that defines each runtime function. */
export const runtimeFileOf: ReadonlyMap<string, RuntimeFile> = new Map(
  (Object.keys(runtimeModules) as RuntimeFile[]).flatMap((file) => Object.keys(runtimeModules[file]).map((name) => [name, file] as const)),
);
