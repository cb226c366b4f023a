// What `compile` reports for each kind of mistake: the exact code, line and column, and the key
// words of the message, the hint and the related notes. One row per mistake.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import type { Diagnostic, Span } from '../../src/diagnostics/diagnostic.js';

/** Strip the common indentation of a template literal, and its first and last blank lines. */
function spec(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').replace(/\n[ ]*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`;
}

interface Seen {
  readonly code: string;
  readonly severity: string;
  readonly line: number;
  readonly column: number;
  /** The text under the span. */
  readonly text: string;
  readonly message: string;
  readonly hint: string;
  readonly related: readonly { readonly line: number; readonly column: number; readonly message: string }[];
}

function run(text: string, file = 'spec.yaml'): { seen: Seen[]; diagnostics: Diagnostic[]; hasOutput: boolean } {
  const result = compile(text, file);
  const at = (span: Span) => result.source.position(span.start);
  const seen = result.diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    ...at(d.span),
    text: text.slice(d.span.start, d.span.end),
    message: d.message,
    hint: d.hint ?? '',
    related: d.related.map((n) => ({ ...at(n.span), message: n.message })),
  }));
  return { seen, diagnostics: result.diagnostics, hasOutput: result.output !== undefined };
}

interface Expected {
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly severity?: 'error' | 'warning';
  /** The exact text under the span, when it matters (the key, not the value). */
  readonly text?: string;
  readonly message: readonly string[];
  readonly hint?: readonly string[];
  readonly related?: readonly { readonly line: number; readonly column: number; readonly message: readonly string[] }[];
}

interface Case {
  readonly name: string;
  readonly file?: string;
  readonly text: string;
  /** Every diagnostic, in the order reported (by position). */
  readonly expected: readonly Expected[];
}

function check(c: Case): void {
  const { seen, hasOutput } = run(c.text, c.file);
  const summary = seen.map((s) => `${s.line}:${s.column} ${s.code} ${s.message} | hint: ${s.hint}`).join('\n');
  expect(seen.map((s) => `${s.code}@${s.line}:${s.column}`), summary).toEqual(c.expected.map((e) => `${e.code}@${e.line}:${e.column}`));
  c.expected.forEach((e, i) => {
    const s = seen[i]!;
    expect(s.severity).toBe(e.severity ?? 'error');
    if (e.text !== undefined) expect(s.text).toBe(e.text);
    for (const word of e.message) expect(s.message).toContain(word);
    for (const word of e.hint ?? []) expect(s.hint).toContain(word);
    if (e.related) {
      expect(s.related.map((r) => `${r.line}:${r.column}`)).toEqual(e.related.map((r) => `${r.line}:${r.column}`));
      e.related.forEach((r, k) => {
        for (const word of r.message) expect(s.related[k]!.message).toContain(word);
      });
    }
  });
  if (c.expected.some((e) => (e.severity ?? 'error') === 'error')) expect(hasOutput, 'no code is emitted when there are errors').toBe(false);
}

const parseCases: Case[] = [
  {
    name: 'YAML syntax error: an unclosed { (MC1001), with a note at the {',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1]
      layers:
        - type: LSTM
          units: 20
    `,
    expected: [{ code: 'MC1001', line: 4, column: 1, message: ['Invalid YAML', 'not closed'], hint: ['`}`'], related: [{ line: 3, column: 6, message: ['`{` opened here'] }] }],
  },
  {
    name: 'YAML: tabs as indentation (MC1001)',
    text: 'name: m\ninputs:\n\tx: { shape: [25, 1] }\nlayers: []\n',
    expected: [{ code: 'MC1001', line: 3, column: 1, message: ['Invalid YAML', 'Tabs'], hint: ['spaces'] }],
  },
  {
    name: 'YAML: only the first syntax error is reported, not its echoes',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: 20
            return_sequences: true
    `,
    expected: [{ code: 'MC1001', line: 6, column: 12, message: ['Invalid YAML'], hint: ['indentation'] }],
  },
  {
    name: 'YAML: an alias without its anchor (MC1001, not a crash)',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: *size
    `,
    expected: [{ code: 'MC1001', line: 6, column: 12, text: '*size', message: ['Invalid YAML'], hint: ['anchor'] }],
  },
  {
    name: 'duplicate key (MC1002) at the second key, note at the first',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: 20
          units: 30
    `,
    expected: [{ code: 'MC1002', line: 7, column: 5, text: 'units', message: ['LSTM layer "lstm"', '"units" twice'], hint: ['keep one'], related: [{ line: 6, column: 5, message: ['first given here'] }] }],
  },
  {
    name: 'duplicate key in JSON (MC1002)',
    file: 'spec.json',
    text: '{\n  "name": "m",\n  "name": "n",\n  "inputs": { "x": { "shape": [25, 1] } },\n  "layers": [{ "type": "LSTM", "units": 20 }]\n}\n',
    expected: [{ code: 'MC1002', line: 3, column: 3, text: '"name"', message: ['The spec', '"name" twice'], related: [{ line: 2, column: 3, message: ['first given here'] }] }],
  },
  {
    name: 'JSON: a trailing comma (MC1001) at the comma',
    file: 'spec.json',
    text: '{\n  "name": "m",\n  "inputs": { "x": { "shape": [25, 1] } },\n  "layers": [\n    { "type": "LSTM", "units": 20 },\n  ]\n}\n',
    expected: [{ code: 'MC1001', line: 5, column: 36, text: ',', message: ['Invalid JSON', 'trailing comma'], hint: ['remove the comma'] }],
  },
  {
    name: 'JSON: a missing comma between members (MC1001)',
    file: 'spec.json',
    text: '{\n  "name": "m",\n  "inputs": { "x": { "shape": [25, 1] } }\n  "layers": [{ "type": "LSTM", "units": 20 }]\n}\n',
    expected: [{ code: 'MC1001', line: 4, column: 3, message: ['Invalid JSON', 'expected `,` or `}`'], hint: ['add a `,`'] }],
  },
  {
    name: 'JSON: an unclosed list, with a note at its [',
    file: 'spec.json',
    text: '{\n  "name": "m",\n  "inputs": { "x": { "shape": [25, 1] } },\n  "layers": [{ "type": "LSTM", "units": 20 }\n}\n',
    expected: [{ code: 'MC1001', line: 5, column: 1, message: ['Invalid JSON', '`]`'], related: [{ line: 4, column: 13, message: ['`[` opened here'] }] }],
  },
  {
    name: 'JSON: single quotes, comments and bare words are not JSON (MC1001)',
    file: 'spec.json',
    text: "{\n  'name': 'm'\n}\n",
    expected: [{ code: 'MC1001', line: 2, column: 3, message: ['Invalid JSON'], hint: ['`"`'] }],
  },
  {
    name: 'JSON: a comment (MC1001)',
    file: 'spec.json',
    text: '{\n  // the model\n  "name": "m"\n}\n',
    expected: [{ code: 'MC1001', line: 2, column: 3, message: ['comments are not allowed'] }],
  },
  {
    name: 'JSON: True is not a JSON value (MC1001)',
    file: 'spec.json',
    text: '{ "name": "m", "flag": True }\n',
    expected: [{ code: 'MC1001', line: 1, column: 24, text: 'True', message: ['`True` is not a JSON value'], hint: ['`true`'] }],
  },
  {
    name: 'JSON: schema errors point into the JSON text too',
    file: 'spec.json',
    text: '{\n  "name": "m",\n  "inputs": { "x": { "shape": [25, 1] } },\n  "layers": [\n    { "type": "LSTM", "unit": 20 },\n    { "type": "Dense", "units": 0 }\n  ]\n}\n',
    expected: [
      { code: 'MC2002', line: 5, column: 23, text: '"unit"', message: ['LSTM layer "lstm"', 'unknown option "unit"'], hint: ['did you mean "units"?'] },
      { code: 'MC2005', line: 6, column: 33, text: '0', message: ['Dense layer "dense"', '"units"', 'at least 1', 'Received: 0'] },
    ],
  },
];

const schemaCases: Case[] = [
  {
    name: 'missing units (MC2001) at the layer, with what units means',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: enc
          type: LSTM
          return_sequences: true
    `,
    expected: [{ code: 'MC2001', line: 5, column: 5, message: ['LSTM layer "enc"', 'missing', 'option "units"'], hint: ['`units: ...`', 'output space'] }],
  },
  {
    name: 'unknown option `unit` (MC2002) at the KEY with did-you-mean, and no extra "missing units"',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          unit: 20
    `,
    expected: [{ code: 'MC2002', line: 6, column: 5, text: 'unit', message: ['LSTM layer "lstm"', 'unknown option "unit"'], hint: ['did you mean "units"?'] }],
  },
  {
    name: 'unknown option `return_sequence` (MC2002) with did-you-mean',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: 20
          return_sequence: true
    `,
    expected: [{ code: 'MC2002', line: 7, column: 5, text: 'return_sequence', message: ['LSTM layer "lstm"', '"return_sequence"'], hint: ['did you mean "return_sequences"?'] }],
  },
  {
    name: 'an option of another layer kind (MC2002) says whose option it is',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: Dense
          units: 3
          return_sequences: true
    `,
    expected: [{ code: 'MC2002', line: 7, column: 5, text: 'return_sequences', message: ['Dense layer "dense"'], hint: ['is an option of', 'LSTM', 'not of Dense'] }],
  },
  {
    name: 'unknown top-level key (MC2002) with did-you-mean',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: 20
      output: [lstm]
    `,
    expected: [{ code: 'MC2002', line: 7, column: 1, text: 'output', message: ['unknown key "output"'], hint: ['did you mean "outputs"?'] }],
  },
  ...(
    [
      ['lstm', 'LSTM'],
      ['Lstm', 'LSTM'],
      ['Desne', 'Dense'],
      ['TimeDistributd', 'TimeDistributed'],
    ] as const
  ).map(
    ([written, meant]): Case => ({
      name: `unknown layer type \`${written}\` (MC2003): did you mean "${meant}"`,
      text: spec`
        name: m
        inputs:
          x: { shape: [25, 1] }
        layers:
          - type: ${written}
            units: 20
      `,
      expected: [{ code: 'MC2003', line: 5, column: 11, text: written, message: ['Layer #1', `unknown type "${written}"`], hint: [`did you mean "${meant}"?`] }],
    }),
  ),
  ...(
    [
      ['Convolution1D', 'Conv1D'],
      ['MaxPool1D', 'MaxPooling1D'],
      ['GlobalAvgPool2D', 'GlobalAveragePooling2D'],
    ] as const
  ).map(
    ([written, meant]): Case => ({
      // Keras's aliases (keras.layers.MaxPool1D is keras.layers.MaxPooling1D, checked in Keras 3.15.1)
      name: `Keras's alias \`${written}\` (MC2003) names the class it stands for`,
      text: spec`
        name: m
        inputs:
          x: { shape: [25, 1] }
        layers:
          - type: ${written}
      `,
      expected: [{ code: 'MC2003', line: 5, column: 11, text: written, message: [`unknown type "${written}"`], hint: [`Keras's ${written} is another name of ${meant}: write type: ${meant}.`] }],
    }),
  ),
  {
    name: 'unknown layer type with no close match (MC2003) lists the known types',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: block
          type: Transformer
    `,
    expected: [{ code: 'MC2003', line: 6, column: 11, message: ['Layer "block"', 'unknown type "Transformer"'], hint: ['known types:', 'Dense', 'LSTM'] }],
  },
  {
    name: 'wrong type: units "20" (MC2004)',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: "20"
    `,
    expected: [{ code: 'MC2004', line: 6, column: 12, text: '"20"', message: ['LSTM layer "lstm"', 'option "units"', 'an integer', 'Received: "20" (a string)'], hint: ['write 20 without quotes'] }],
  },
  {
    name: 'wrong type: a layer written as a bare string (MC2004)',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - LSTM
    `,
    expected: [{ code: 'MC2004', line: 5, column: 5, message: ['Layer #1', 'a mapping', 'Received: "LSTM" (a string)'], hint: ['`- type: LSTM`'] }],
  },
  {
    name: 'out of range: units 0 and dropout 1.5 (MC2005), both reported',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: 0
          dropout: 1.5
    `,
    expected: [
      { code: 'MC2005', line: 6, column: 12, text: '0', message: ['LSTM layer "lstm"', 'option "units"', 'at least 1', 'Received: 0.'] },
      { code: 'MC2005', line: 7, column: 14, text: '1.5', message: ['LSTM layer "lstm"', 'option "dropout"', 'at least 0 and less than 1', 'Received: 1.5.'] },
    ],
  },
  {
    name: 'out of range: a zero dimension in an input shape (MC2005)',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 0] }
      layers:
        - type: LSTM
          units: 3
    `,
    expected: [{ code: 'MC2005', line: 3, column: 20, text: '0', message: ['Input "x"', 'dimension 2 of "shape"', 'at least 1'], hint: ['null'] }],
  },
  {
    name: 'bad enum: activation relux (MC2006), did you mean "relu"',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: 3
        - type: Dense
          units: 3
          activation: relux
    `,
    expected: [{ code: 'MC2006', line: 9, column: 17, text: 'relux', message: ['Dense layer "dense"', 'option "activation"', 'Received: "relux" (a string)'], hint: ['did you mean "relu"?'] }],
  },
  {
    name: 'bad enum: a short list is given in the message (MC2006)',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1], dtype: float64 }
      layers:
        - type: LSTM
          units: 3
    `,
    expected: [{ code: 'MC2006', line: 3, column: 31, message: ['Input "x"', '"float32", "int32", "bool"', 'Received: "float64"'], hint: ['did you mean "float32"?'] }],
  },
  {
    name: 'invalid layer name (MC2007) at the name',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          name: 2nd lstm
          units: 3
    `,
    expected: [{ code: 'MC2007', line: 6, column: 11, text: '2nd lstm', message: ['LSTM layer #1', 'invalid name "2nd lstm"'], hint: ['letters, digits'] }],
  },
  {
    name: 'invalid input name (MC2007) at the key, and invalid model name',
    text: spec`
      name: my model
      inputs:
        2x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: 3
          input: 2x
    `,
    expected: [
      { code: 'MC2007', line: 1, column: 7, text: 'my model', message: ['model name "my model"'], hint: ['<name>.ts'] },
      { code: 'MC2007', line: 3, column: 3, text: '2x', message: ['Input name "2x"'] },
      { code: 'MC2007', line: 7, column: 12, text: '2x', message: ['LSTM layer "lstm"', 'invalid reference "2x"'], hint: ['NAME.OUTPUT'] },
    ],
  },
  {
    name: 'an empty spec (MC2004), not a crash',
    text: '# nothing yet\n',
    expected: [{ code: 'MC2004', line: 1, column: 1, message: ['The spec is empty'] }],
  },
];

const graphCases: Case[] = [
  {
    name: 'unknown reference (MC3002) with did-you-mean',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: encoder
          type: LSTM
          units: 3
        - type: Dense
          units: 3
          input: encodr
    `,
    expected: [{ code: 'MC3002', line: 10, column: 12, text: 'encodr', message: ['Dense layer "dense"', '"encodr"', 'neither a model input nor a layer'], hint: ['did you mean "encoder"?'] }],
  },
  {
    name: 'duplicate layer name (MC3001) with a note at the first',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: enc
          type: LSTM
          units: 3
          return_sequences: true
        - name: enc
          type: LSTM
          units: 3
    `,
    expected: [{ code: 'MC3001', line: 9, column: 11, text: 'enc', message: ['LSTM layer #2', '"enc"', 'already taken by LSTM layer "enc"'], hint: ['unique', 'enc_1'], related: [{ line: 5, column: 11, message: ['LSTM layer "enc"'] }] }],
  },
  {
    name: 'a layer named like an input (MC3001), note at the input',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: x
          type: LSTM
          units: 3
    `,
    expected: [{ code: 'MC3001', line: 5, column: 11, message: ['already taken by input "x"'], related: [{ line: 3, column: 3, message: ['input "x"'] }] }],
  },
  {
    name: 'a cycle (MC3003) at the reference that closes it, with a note for the other layer',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: a
          type: LSTM
          units: 3
          input: b
          return_sequences: true
        - name: b
          type: LSTM
          units: 3
          return_sequences: true
      outputs: [b]
    `,
    expected: [{ code: 'MC3003', line: 8, column: 12, text: 'b', message: ['LSTM layer "a"', 'LSTM layer "b"', 'cycle', '"a" reads "b"', '"b" reads "a"'], related: [{ line: 10, column: 5, message: ['"b" reads "a"', 'layer above'] }] }],
  },
  {
    name: 'a layer reading itself (MC3003)',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: a
          type: LSTM
          units: 3
          input: a
    `,
    expected: [{ code: 'MC3003', line: 8, column: 12, message: ['LSTM layer "a" reads its own output'] }],
  },
  {
    name: 'lstm.h without return_state (MC3004): hint to set return_state: true',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: lstm
          type: LSTM
          units: 3
      outputs: [lstm, lstm.h]
    `,
    expected: [
      {
        code: 'MC3004',
        line: 8,
        column: 17,
        text: 'lstm.h',
        message: ['"lstm.h"', 'LSTM layer "lstm"', 'no output "h"'],
        hint: ['set `return_state: true` on LSTM layer "lstm"'],
        related: [{ line: 5, column: 5, message: ['"lstm" is defined here'] }],
      },
    ],
  },
  {
    name: 'the first layer has no input to default to (MC3005)',
    text: spec`
      name: m
      inputs:
        a: { shape: [25, 1] }
        b: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: 3
    `,
    expected: [{ code: 'MC3005', line: 6, column: 5, message: ['LSTM layer "lstm"', '2 inputs (a, b)'], hint: ['`input: a`'] }],
  },
  {
    name: 'an empty layers list (MC3007)',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers: []
    `,
    expected: [{ code: 'MC3007', line: 4, column: 1, text: 'layers', message: ['no layers'], hint: ['add at least one layer'] }],
  },
  {
    name: 'a layer whose output is never used (MC3009, a warning; code is still emitted)',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: probe
          type: LSTM
          units: 3
        - name: main
          type: LSTM
          units: 3
          input: x
      outputs: [main]
    `,
    expected: [{ code: 'MC3009', severity: 'warning', line: 5, column: 5, message: ['LSTM layer "probe"', 'never used'], hint: ['`outputs`', 'remove the layer'] }],
  },
  {
    name: 'name or input on a wrapped layer (MC3010)',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - type: LSTM
          units: 3
          return_sequences: true
        - name: head
          type: TimeDistributed
          layer: { type: Dense, units: 2, name: inner }
    `,
    expected: [{ code: 'MC3010', line: 10, column: 37, text: 'name', message: ['Dense layer wrapped by TimeDistributed layer "head"', '`name`'], hint: ['drop `name`'] }],
  },
];

const shapeCases: Case[] = [
  {
    name: 'TimeDistributed on a 2-D tensor (MC4002): return_sequences hint and a note at the LSTM',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1], batch_size: 32 }
      layers:
        - name: lstm
          type: LSTM
          units: 20
        - name: head
          type: TimeDistributed
          layer: { type: Dense, units: 10 }
    `,
    expected: [
      {
        code: 'MC4002',
        line: 8,
        column: 5,
        message: ['TimeDistributed layer "head"', 'time axis', 'Received: a 2-D input of shape (32, 20)'],
        hint: ['set `return_sequences: true` on LSTM "lstm"'],
        related: [{ line: 5, column: 5, message: ['LSTM "lstm" is defined here'] }],
      },
    ],
  },
  {
    name: 'an LSTM fed the 2-D output of another LSTM (MC4001): the same kind of hint',
    text: spec`
      name: m
      inputs:
        x: { shape: [25, 1], batch_size: 32 }
      layers:
        - name: enc
          type: LSTM
          units: 20
        - name: dec
          type: LSTM
          units: 10
    `,
    expected: [
      {
        code: 'MC4001',
        line: 8,
        column: 5,
        message: ['LSTM layer "dec"', '3-D input', 'Received: a 2-D input of shape (32, 20)'],
        hint: ['set `return_sequences: true` on LSTM "enc"'],
        related: [{ line: 5, column: 5, message: ['LSTM "enc" is defined here'] }],
      },
    ],
  },
  {
    name: 'unroll: true with a null time dimension (MC4005) at `unroll`',
    text: spec`
      name: m
      inputs:
        x: { shape: [null, 4] }
      layers:
        - type: LSTM
          units: 8
          unroll: true
    `,
    expected: [{ code: 'MC4005', line: 7, column: 13, text: 'true', message: ['LSTM layer "lstm"', '`unroll: true`', 'timesteps'], hint: ['`unroll: false`'] }],
  },
];

describe('diagnostics through the pipeline', () => {
  describe('parse (MC1xxx)', () => it.each(parseCases)('$name', check));
  describe('schema (MC2xxx)', () => it.each(schemaCases)('$name', check));
  describe('graph (MC3xxx)', () => it.each(graphCases)('$name', check));
  describe('shapes (MC4xxx)', () => it.each(shapeCases)('$name', check));

  it('reports several independent errors of one file in one run, sorted by position', () => {
    const text = spec`
      name: m
      inputs:
        x: { shape: [25, 1], batch_size: 0 }
      layers:
        - name: enc
          type: LSTM
          units: "16"
          return_sequence: true
        - name: mid
          type: Desne
          units: 8
        - name: out
          type: Dense
          units: 1
          activation: relux
    `;
    check({
      name: 'several',
      text,
      expected: [
        { code: 'MC2005', line: 3, column: 36, message: ['Input "x"', '"batch_size"'] },
        { code: 'MC2004', line: 7, column: 12, message: ['LSTM layer "enc"', '"units"'] },
        { code: 'MC2002', line: 8, column: 5, message: ['"return_sequence"'], hint: ['"return_sequences"'] },
        { code: 'MC2003', line: 10, column: 11, message: ['Layer "mid"', '"Desne"'], hint: ['"Dense"'] },
        { code: 'MC2006', line: 15, column: 17, message: ['Dense layer "out"'], hint: ['"relu"'] },
      ],
    });
  });

  it('reports several independent graph errors in one run', () => {
    const text = spec`
      name: m
      inputs:
        x: { shape: [25, 1] }
      layers:
        - name: a
          type: LSTM
          units: 3
          return_sequences: true
        - name: a
          type: LSTM
          units: 3
          input: x
        - name: c
          type: Dense
          units: 3
          input: ab
      outputs: [c, a.h]
    `;
    const { seen } = run(text);
    expect(seen.map((s) => s.code)).toEqual(['MC3001', 'MC3002', 'MC3004']);
    expect(seen.map((s) => s.line)).toEqual([9, 16, 17]);
  });

  it('reports independent shape errors on separate branches in one run', () => {
    const text = spec`
      name: m
      inputs:
        x: { shape: [null, 1] }
        y: { shape: [25, 1], batch_size: 4 }
      layers:
        - name: fast
          type: LSTM
          units: 3
          unroll: true
          input: x
        - name: enc
          type: LSTM
          units: 3
          input: y
        - name: head
          type: TimeDistributed
          layer: { type: Dense, units: 2 }
      outputs: [fast, head]
    `;
    const { seen } = run(text);
    expect(seen.map((s) => `${s.code}@${s.line}`)).toEqual(['MC4005', 'MC4002'].map((c, i) => `${c}@${[9, 15][i]}`));
  });

  it('one mistake, one error: layers downstream of a failing layer stay silent', () => {
    const text = spec`
      name: m
      inputs:
        x: { shape: [25, 1], batch_size: 32 }
      layers:
        - name: lower
          type: LSTM
          units: 32
        - name: upper
          type: LSTM
          units: 16
          return_sequences: true
        - name: per_step
          type: TimeDistributed
          layer: { type: Dense, units: 8 }
        - name: again
          type: LSTM
          units: 4
        - name: out
          type: Dense
          units: 1
    `;
    const { seen } = run(text);
    expect(seen.map((s) => `${s.code} ${s.message}`)).toHaveLength(1);
    expect(seen[0]).toMatchObject({ code: 'MC4001', line: 8 });
    expect(seen[0]!.message).toContain('"upper"');
  });

  it('one mistake, one error: a misspelled required option is not also reported missing', () => {
    for (const [written, meant] of [
      ['unit', 'units'],
      ['Units', 'units'],
      ['unitz', 'units'],
    ]) {
      const { seen } = run(`name: m\ninputs:\n  x: { shape: [25, 1] }\nlayers:\n  - type: Dense\n    ${written}: 3\n`);
      expect(seen.map((s) => s.code)).toEqual(['MC2002']);
      expect(seen[0]!.hint).toContain(`"${meant}"`);
    }
  });

  it('one mistake, one error: an unknown layer type is not also checked for its options', () => {
    const { seen } = run('name: m\ninputs:\n  x: { shape: [25, 1] }\nlayers:\n  - type: Lstm\n    units: 3\n    return_sequences: true\n    whatever: 1\n');
    expect(seen.map((s) => s.code)).toEqual(['MC2003']);
  });
});

/** ajv's own phrases, which must be rewritten before a user sees them. */
const ajvWording = [
  /must NOT have/,
  /must match/,
  /must be equal to one of the allowed values/,
  /must have required property/,
  /property name must be valid/,
  /must be (integer|number|string|boolean|array|object|null)\b/,
  /must be [<>]=? ?\d/,
  /should (be|have|match)/,
  /additional properties/i,
  /schema in anyOf/,
  /"then" schema/,
];

/** Many small broken specs, to look for raw ajv wording anywhere. */
const broken: string[] = [
  ...[...parseCases, ...schemaCases, ...graphCases, ...shapeCases].map((c) => c.text),
  'name: 3\ninputs: []\nlayers: {}\n',
  'inputs:\n  x: { shape: [], batch_size: -1, dtype: 3, extra: 1 }\nlayers: [1, null, "x"]\noutputs: {}\n',
  'name: m\nseed: 1.5\nweights: 3\ninputs:\n  x: { shape: [2.5, null] }\nlayers:\n  - type: LSTM\n    units: 3\n    implementation: 3\n    kernel_initializer: { class_name: Constant }\n    recurrent_initializer: 7\n    initial_state: []\n    inputs: []\noutputs: { "a b": x, c: "x.y.z" }\n',
  'name: m\ninputs:\n  x: { shape: [2, 3] }\nlayers:\n  - type: TimeDistributed\n    layer: { type: Nope }\n  - type: TimeDistributed\n    layer: 3\n  - type: TimeDistributed\n    layer: { units: 3 }\n',
  '[1, 2, 3]\n',
  '"just a string"\n',
];

describe('no raw ajv wording reaches the user', () => {
  it.each(broken.map((text, i) => [i, text] as const))('spec %i', (_, text) => {
    for (const file of ['spec.yaml', 'spec.json']) {
      if (file === 'spec.json' && !text.trimStart().startsWith('{')) continue;
      const { seen } = run(text, file);
      for (const s of seen) {
        for (const pattern of ajvWording) {
          expect(s.message, `${s.code}: ${s.message}`).not.toMatch(pattern);
          expect(s.hint, `${s.code} hint: ${s.hint}`).not.toMatch(pattern);
        }
      }
    }
  });

  it('nor in any error baseline', () => {
    const dir = 'test/errors';
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.baseline.txt'))) {
      const text = readFileSync(`${dir}/${f}`, 'utf8');
      for (const pattern of ajvWording) expect(text, f).not.toMatch(pattern);
    }
  });

  it('every schema error names who and what: a layer by kind and name, an input, or the spec', () => {
    for (const spec of broken) {
      for (const s of run(spec).seen.filter((d) => d.code.startsWith('MC2'))) {
        expect(s.message, s.message).toMatch(/^(\w+ layer (#\d+|"[^"]+")|Layer (#\d+|"[^"]+")|The layer wrapped|\w+ layer wrapped|Input "|Input name|Output name|The spec|The model)/);
      }
    }
  });
});
