// The catalogue of diagnostic codes, grouped by stage. A code is stable: never renumbered,
// never reused for another meaning. MC1xxx parse, MC2xxx schema, MC3xxx graph, MC4xxx shape,
// MC5xxx weights, MC6xxx emit and files, MC7xxx import; MC1004-MC1009 the files a command writes.

export const codes = {
  // MC1xxx: reading and parsing a spec
  MC1001: 'the spec is not valid YAML or JSON',
  MC1002: 'a key is given twice in one mapping',
  MC1003: 'the spec file cannot be read',
  // MC1004-MC1009: the files a command writes (a build is all or nothing: see src/files/)
  MC1004: 'an output path is a directory or another kind of file that modelc does not replace',
  MC1005: 'an output file name is longer than file systems allow',
  MC1006: 'another modelc command is writing to the same folder',
  MC1007: 'the disk is full (or a quota or file-size limit is reached) while writing output',

  // MC2xxx: the spec against the schema
  MC2001: 'a required option is missing',
  MC2002: 'an option is not known for this layer or section',
  MC2003: 'the layer type is not known',
  MC2004: 'a value has the wrong type',
  MC2005: 'a number is outside its allowed range',
  MC2006: 'a value is not one of the allowed choices',
  MC2007: 'a name is not a valid layer or input name',
  MC2008: 'the spec breaks another rule of the schema',
  MC2009: "the model's name is too long to name its module file",

  // MC3xxx: the graph (names, references, wiring)
  MC3001: 'two layers or inputs have the same name',
  MC3002: 'a reference names no input or layer',
  MC3003: 'the layers form a cycle',
  MC3004: 'a reference names an output the layer does not have',
  MC3005: 'a layer has no input to default to',
  MC3006: 'a layer gets the wrong number of inputs',
  MC3007: 'the model has no layers',
  MC3008: 'two model outputs have the same name',
  MC3009: "a layer's output is never used",
  MC3010: 'a wrapped layer has options only a top-level layer may have',
  MC3011: 'a model output is a model input, which no layer computes',
  MC3012: 'two model inputs fix different batch sizes',
  MC3013: '`shares` names no layer defined above the entry',
  MC3014: 'a stateful layer is shared: its states would belong to several applications',
  MC3015: 'a shared layer is applied to an input that needs weights of other shapes',

  // MC4xxx: shapes and dtypes
  MC4001: 'a tensor has the wrong rank for the layer',
  MC4002: 'TimeDistributed got a tensor with no time axis',
  MC4003: 'retired: its failures have their own codes now, MC4010 to MC4020',
  MC4004: 'a tensor has the wrong dtype for the layer',
  MC4005: 'unroll needs a time dimension known at compile time',
  MC4006: 'stateful needs a batch size known at compile time',
  MC4007: 'an initial state has the wrong shape',
  MC4008: 'a tensor is too large to allocate',
  MC4009: 'a wrapper wraps a layer it cannot wrap, or two wrapped layers disagree',
  MC4010: 'an axis the layer sizes its parameters by is known only at run time',
  MC4011: "a recurrent layer's mask has the wrong dtype or shape",
  MC4012: 'a layer is asked to work along the batch axis',
  MC4013: 'inputs joined by Concatenate differ off the concatenation axis',
  MC4014: 'inputs of a merge have different batch sizes',
  MC4015: 'inputs of a merge have shapes that do not broadcast',
  MC4016: "Reshape's target_shape does not hold a sample's elements",
  MC4017: "Dropout's noise_shape does not broadcast to its input",
  MC4018: 'an input is shorter than the window of a convolution or pooling',
  MC4019: 'the input channels are not divisible by groups',
  MC4020: "Bidirectional's merge needs both directions to have the same units",
  MC4021: 'a parameter, or all parameters together, are too large to allocate',
  MC4022: 'an unrolled recurrence has more timesteps than the limit',
  MC4030: 'a cropping removes every step of its input',
  MC4031: 'Normalization is given a mean without a variance, or a variance without a mean',
  MC4032: "Normalization's mean or variance has the wrong number of values",
  MC4033: 'Dot takes the dot product along axes of different sizes',
  MC4034: "Attention's query, value and key do not fit together",
  MC4040: 'an image is smaller than the window of a 2-D convolution or pooling along its rows or columns',
  MC4041: 'a 2-D cropping removes every row or every column of its input',
  MC4042: 'an input has more than one dimension known only at run time',
  MC4050: "MultiHeadAttention's query, value, key and attention_mask do not fit together",
  MC4051: 'MultiHeadAttention over axes other than the time axis',
  MC4061: 'a mask on ConvLSTM1D, which Keras 3 cannot apply',
  MC4062: "Conv1DTranspose's output_padding is not less than its strides",
  MC4063: 'a transposed convolution whose output has no steps',

  // MC5xxx: weights files
  MC5001: 'the weights file cannot be read or is not JSON',
  MC5002: 'a layer or parameter is missing from the weights file',
  MC5003: 'the weights file has a layer or parameter the model does not',
  MC5004: 'a parameter has the wrong shape',
  MC5005: 'a parameter holds a value that is not a finite number',
  MC5006: "the weights path leaves the spec's folder tree (absolute, `..`, or a symbolic link out)",
  MC5007: 'the weights path names something that is not a regular file (a directory, FIFO or device)',
  MC5008: 'the weights file is larger than the size limit',
  MC5009: 'the weights file is not a weights file (its content is not shown)',

  // MC6xxx: emitting code and writing files
  MC6001: 'an unrolled recurrence is too large for V8 to optimize',
  MC6002: 'an output file cannot be written',
  MC6003: 'same padding with strides > 1 over a length known only at run time',
  MC6004: 'normalization over axes that are not adjacent',
  MC6005: 'Reshape of samples whose size is known only at run time',
  MC6011: 'Bidirectional over a convolutional recurrent layer',

  // MC7xxx: importing a trained model (`modelc import`) and binary weights files
  MC7001: 'the model file cannot be read, or is not a file of a format modelc imports',
  MC7002: 'the model archive is damaged, truncated or too large once unpacked',
  MC7003: 'the HDF5 weights are damaged, or hold data the reader cannot decode',
  MC7004: 'the model config is malformed or of a kind modelc cannot import',
  MC7005: 'a layer class is not one modelc supports',
  MC7006: 'a layer option has a value modelc does not support',
  MC7007: 'a weight variable is missing from the model file',
  MC7008: 'a weight variable has the wrong shape',
  MC7009: 'the model file has weight variables no layer uses',
  MC7010: 'a layer or input name cannot be used in a spec',
  MC7011: 'the imported files cannot be written',
  MC7012: 'a binary weights file (.safetensors, or a Keras file read by layer name) is malformed',
} as const;

export type Code = keyof typeof codes;

/**
 * Message templates: one message per code, with `{name}` placeholders that call sites fill
 * (checked by the type checker: a missing or unknown placeholder is a compile error). Codes
 * without a template take their message from the call site; they move here one stage at a time.
 */
export const templates = {
  MC3015: '{layer} applies the weights of {owner}, as {other} does, but its input {shape} needs {param} of shape {needed}, where the input {otherShape} of {other} needs {has}: one set of weights cannot be both.',
  MC1004: 'Cannot write {path}: it is {kind}, not a regular file. Nothing was written.',
  MC1005: 'Cannot write {path}: its file name is {bytes} bytes long, and file systems allow at most {limit}. Nothing was written.',
  MC1006: 'Cannot write to {folder}: another modelc command (process {pid}) has been writing there for {seconds} s, and it did not finish within the wait of {wait} s. Nothing was written.',
  MC1007: 'Cannot write to {folder}: {reason}. Nothing was written: the files there are as they were.',
  MC2009: 'The model name has {length} characters: its module file, <name>.ts, would have a name of {file} characters, and file systems allow at most {limit}.',
  MC4010: '{layer} needs {axis} known at compile time{reason}. Received: {shape}.',
  MC4011: '{layer} needs a bool mask of shape {expected}. Received: {received}.',
  MC4012: '{layer} cannot {action} the batch axis (axis {axis}){reason}. Received: {received}.',
  MC4013: '{layer} expects inputs with matching shapes except along the concatenation axis {axis}. Received: inputs of shape {shapes}, which differ on axis {differs}.',
  MC4014: '{layer} expects inputs with one batch size. Received: inputs of shape {shapes}.',
  MC4015: '{layer} expects inputs of one shape, or shapes that broadcast (each dimension equal or 1). Received: inputs of shape {shapes}, which differ on axis -{axis} ({dims}).',
  MC4016: '{layer} expects a target_shape whose known dimensions {relation} the {size} elements of a sample of its input. Received: target_shape={target} (product {known}) for an input of shape {shape}.',
  MC4017: "{layer} expects a noise_shape that broadcasts to its input: {rank} entries, each null, 1 or the input's dimension. Received: noise_shape={noise} for an input of shape {shape}.",
  MC4018: '{layer} expects at least {span} steps, the span of its window ({window}), with padding "valid". Received: an input of shape {shape}.',
  MC4019: '{layer} expects input channels divisible by groups={groups}. Received: {channels} channels, in an input of shape {shape}.',
  MC4020: '{layer} merges with "{mode}", which needs both directions to have the same units. Received: {forward} and {backward}.',
  MC4030: '{layer} crops {crop} steps from an input of {length} steps, which leaves none. Received: an input of shape {shape}.',
  MC4031: '{layer} is given `{given}` but not `{missing}`: give both, or neither to take them from the weights.',
  MC4032: '{layer} expects `{option}` to be one number or {expected} values, one per index of the kept axes {axes} of an input of shape {shape}. Received: {count} values.',
  MC4033: '{layer} takes the dot product of axis {ax} of its first input ({first}) with axis {ay} of its second ({second}), which must have one size. Received: inputs of shape {shapes}.',
  MC4034: '{layer} attends with a query, value and key where {problem}. Received: inputs of shape {shapes}.',
  MC4040: '{layer} expects at least {span} {axis}, the span of its window along them ({window}), with padding "valid". Received: an input of shape {shape}.',
  MC4041: '{layer} crops {crop} {axis} from an input of {length} {axis}, which leaves none. Received: an input of shape {shape}.',
  MC4042: 'Input "{input}" has {count} dimensions known only at run time ({axes}): the generated module reads a run-time length from the size of the flat array it is given, which determines only one per input. Received: shape {shape}.',
  MC4050: '{layer} attends with a query, value, key and attention_mask where {problem}. Received: inputs of shape {shapes}.',
  MC4051: '{layer} attends over axes {axes}; this version of modelc attends over the time axis (1) of (batch, steps, features) inputs only.',
  MC4061: '{layer} is given a mask ({source}), but Keras 3 cannot apply one to a convolutional recurrence: its RNN base broadcasts the (batch, time) mask against 2-D states only, and ConvLSTM1D.call fails.',
  MC4062: '{layer} expects output_padding less than strides, as Keras requires. Received: output_padding={outputPadding}, strides={stride}.',
  MC4063: '{layer} ({window}) gives an output of no steps for an input of one step. Received: an input of shape {shape}.',
  MC6003: '{layer} pads a run-time length {length} with `padding: same` and strides {stride}: the padding then depends on the length, which this version of modelc computes only at compile time. Received: an input of shape {shape}.',
  MC6004: '{layer} normalizes over axes {axes}, which are not adjacent; this version of modelc emits code for adjacent axes only.',
  MC6005: '{layer} reshapes samples of a size known only at run time, {size}, to target_shape={target}; this version of modelc emits code only for samples of a size known at compile time.',
  MC6011: '{layer} wraps {inner}, a convolutional recurrent layer, which this version of modelc does not run in both directions (it emits Bidirectional over LSTM, GRU and SimpleRNN).',
} as const satisfies Partial<Record<Code, string>>;

export type TemplatedCode = keyof typeof templates;
export type FreeCode = Exclude<Code, TemplatedCode>;

/** The `{name}` placeholders of a template. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
export type MessageParams<C extends TemplatedCode> = { readonly [P in Placeholders<(typeof templates)[C]>]: string | number };

/** A code's message with its placeholders filled. */
export function formatMessage<C extends TemplatedCode>(code: C, params: MessageParams<C>): string {
  const values = params as Readonly<Record<string, string | number>>;
  return templates[code].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
}
