// The catalogue of diagnostic codes, grouped by stage. A code is stable: never renumbered,
// never reused for another meaning. MC1xxx parse, MC2xxx schema, MC3xxx graph, MC4xxx shape,
// MC5xxx weights, MC6xxx emit and files.

export const codes = {
  // MC1xxx: reading and parsing a spec
  MC1001: 'the spec is not valid YAML or JSON',
  MC1002: 'a key is given twice in one mapping',
  MC1003: 'the spec file cannot be read',

  // MC2xxx: the spec against the schema
  MC2001: 'a required option is missing',
  MC2002: 'an option is not known for this layer or section',
  MC2003: 'the layer type is not known',
  MC2004: 'a value has the wrong type',
  MC2005: 'a number is outside its allowed range',
  MC2006: 'a value is not one of the allowed choices',
  MC2007: 'a name is not a valid layer or input name',
  MC2008: 'the spec breaks another rule of the schema',

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

  // MC4xxx: shapes and dtypes
  MC4001: 'a tensor has the wrong rank for the layer',
  MC4002: 'TimeDistributed got a tensor with no time axis',
  MC4003: 'a dimension does not match what the layer needs',
  MC4004: 'a tensor has the wrong dtype for the layer',
  MC4005: 'unroll needs a time dimension known at compile time',
  MC4006: 'stateful needs a batch size known at compile time',
  MC4007: 'an initial state has the wrong shape',
  MC4008: 'a tensor is too large to allocate',
  MC4009: 'a wrapper wraps a layer it cannot wrap, or two wrapped layers disagree',
  MC4021: 'a parameter, or all parameters together, are too large to allocate',
  MC4022: 'an unrolled recurrence has more timesteps than the limit',

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
  MC6003: 'the spec needs code this version cannot emit yet',
} as const;

export type Code = keyof typeof codes;
