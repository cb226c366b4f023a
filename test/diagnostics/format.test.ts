// The formatter: `path:line:col - error MCxxxx: message`, the spec line under a line-number
// gutter with `~` under the exact span, related notes with their own locations, the hint; colour
// only when asked; and the JSON record of `--format json`.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { DiagnosticBag } from '../../src/diagnostics/diagnostic.js';
import { codeFrame, formatDiagnostic, formatSummary, toJson } from '../../src/diagnostics/format.js';
import { SourceFile } from '../../src/source/source-file.js';

const file = 'models/example.yaml';
const text = [
  'name: example', //                         line 1
  'inputs:', //                               line 2
  '  x: { shape: [25, 1], batch_size: 32 }', // line 3
  'layers:', //                               line 4
  '  - name: lstm', //                        line 5
  '    type: LSTM', //                        line 6
  '    units: 20', //                         line 7
  '  - name: head', //                        line 8
  '    type: TimeDistributed', //             line 9
  '    layer: { type: Dense, units: 10 }', // line 10
  '',
].join('\n');
const source = new SourceFile(file, text);
const sources = new Map([[file, source]]);

/** The span of the `occurrence`-th `needle` in the text. */
function spanOf(needle: string, occurrence = 1) {
  let start = -1;
  for (let i = 0; i < occurrence; i++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`no ${needle}`);
  return { file, start, end: start + needle.length };
}

const mc4002: Diagnostic = {
  code: 'MC4002',
  severity: 'error',
  message: 'TimeDistributed layer "head" needs an input with a time axis. Received: a 2-D input of shape (32, 20).',
  span: spanOf('name: head'),
  related: [{ message: 'LSTM "lstm" is defined here', span: spanOf('name: lstm') }],
  hint: 'set `return_sequences: true` on LSTM "lstm".',
};

describe('formatDiagnostic', () => {
  it('prints the location line, the frame, the related note and the hint, exactly', () => {
    expect(formatDiagnostic(mc4002, { color: false, sources })).toBe(
      [
        'models/example.yaml:8:5 - error MC4002: TimeDistributed layer "head" needs an input with a time axis. Received: a 2-D input of shape (32, 20).',
        '',
        '8   - name: head',
        '      ~~~~~~~~~~',
        '',
        '  models/example.yaml:5:5 - LSTM "lstm" is defined here',
        '',
        '  5   - name: lstm',
        '        ~~~~~~~~~~',
        '',
        '  hint: set `return_sequences: true` on LSTM "lstm".',
        '',
      ].join('\n'),
    );
  });

  it('starts with `path:line:col - severity MCxxxx: message`, 1-based', () => {
    const first = formatDiagnostic({ ...mc4002, span: spanOf('20') }, { color: false, sources }).split('\n')[0];
    expect(first).toMatch(/^models\/example\.yaml:7:12 - error MC4002: TimeDistributed layer "head" /);
    const warning = formatDiagnostic({ ...mc4002, code: 'MC3009', severity: 'warning' }, { color: false, sources }).split('\n')[0];
    expect(warning).toMatch(/^models\/example\.yaml:8:5 - warning MC3009: /);
  });

  it('puts `~` under exactly the span, after a gutter as wide as the line number', () => {
    const out = formatDiagnostic({ ...mc4002, span: spanOf('Dense'), related: [] }, { color: false, sources }).split('\n');
    expect(out[2]).toBe('10     layer: { type: Dense, units: 10 }');
    expect(out[3]).toBe('                      ~~~~~');
    // The tildes start under the span's first character and are as long as the span.
    const line = out[2]!;
    const squiggle = out[3]!;
    expect(line.slice(squiggle.indexOf('~'), squiggle.lastIndexOf('~') + 1)).toBe('Dense');
  });

  it('keeps the frame to the first line of a span that covers several', () => {
    const span = { file, start: spanOf('- name: lstm').start, end: spanOf('units: 20').end };
    const frame = codeFrame(span, { color: false, sources });
    expect(frame).toEqual(['5   - name: lstm', '    ~~~~~~~~~~~~']);
  });

  it('shows an empty span as a single `~`', () => {
    const at = spanOf('units: 20').start;
    expect(codeFrame({ file, start: at, end: at }, { color: false, sources })[1]).toBe('      ~');
  });

  it('separates the parts by one blank line whichever are present', () => {
    const bare = formatDiagnostic({ ...mc4002, related: [], hint: undefined } as Diagnostic, { color: false, sources });
    expect(bare).toBe('models/example.yaml:8:5 - error MC4002: ' + mc4002.message + '\n\n8   - name: head\n      ~~~~~~~~~~\n');
    const hintOnly = formatDiagnostic({ ...mc4002, related: [] }, { color: false, sources });
    expect(hintOnly.endsWith('      ~~~~~~~~~~\n\n  hint: set `return_sequences: true` on LSTM "lstm".\n')).toBe(true);
    expect(hintOnly).not.toMatch(/\n\n\n/);
  });

  it('prints only the location line when the file is unknown or empty', () => {
    const missing: Diagnostic = { code: 'MC1003', severity: 'error', message: 'Cannot read the spec file "gone.yaml".', span: { file: 'gone.yaml', start: 0, end: 0 }, related: [] };
    expect(formatDiagnostic(missing, { color: false, sources })).toBe('gone.yaml:1:1 - error MC1003: Cannot read the spec file "gone.yaml".\n');
    const empty = new Map([['gone.yaml', new SourceFile('gone.yaml', '')]]);
    expect(formatDiagnostic(missing, { color: false, sources: empty })).toBe('gone.yaml:1:1 - error MC1003: Cannot read the spec file "gone.yaml".\n');
  });

  it('gives a related note in another file its own location', () => {
    const weights = new SourceFile('models/w.json', '{\n  "lstm": { "kernel": [] }\n}\n');
    const both = new Map([...sources, ['models/w.json', weights]]);
    const d: Diagnostic = { ...mc4002, code: 'MC5004', related: [{ message: 'the parameter is here', span: { file: 'models/w.json', start: 14, end: 22 } }] };
    const out = formatDiagnostic(d, { color: false, sources: both });
    expect(out).toContain('  models/w.json:2:13 - the parameter is here\n\n  2   "lstm": { "kernel": [] }\n                ~~~~~~~~');
  });

  it('uses colour codes only with color: true', () => {
    const plain = formatDiagnostic(mc4002, { color: false, sources });
    const coloured = formatDiagnostic(mc4002, { color: true, sources });
    // eslint-disable-next-line no-control-regex
    const escape = /\x1b\[[0-9;]*m/;
    expect(plain).not.toMatch(escape);
    expect(coloured).toMatch(escape);
    expect(coloured).toContain('\x1b[31merror\x1b[0m');
    expect(coloured).toContain('\x1b[31m~~~~~~~~~~\x1b[0m');
    // Without the colour codes, the text is the same.
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
    const warning = formatDiagnostic({ ...mc4002, severity: 'warning' }, { color: true, sources });
    expect(warning).toContain('\x1b[33mwarning\x1b[0m');
  });
});

describe('formatSummary', () => {
  it('counts errors and warnings', () => {
    const warning = { ...mc4002, severity: 'warning' as const };
    expect(formatSummary([])).toBe('');
    expect(formatSummary([mc4002])).toBe('Found 1 error.\n');
    expect(formatSummary([mc4002, mc4002, warning])).toBe('Found 2 errors and 1 warning.\n');
    expect(formatSummary([warning, warning])).toBe('Found 2 warnings.\n');
  });
});

describe('toJson', () => {
  it('gives code, severity, message, file, line, column and hint', () => {
    const json = toJson(mc4002, sources);
    expect(json).toMatchObject({
      code: 'MC4002',
      severity: 'error',
      message: mc4002.message,
      file,
      line: 8,
      column: 5,
      endLine: 8,
      endColumn: 15,
      hint: mc4002.hint,
    });
    expect(json.related).toEqual([{ message: 'LSTM "lstm" is defined here', file, line: 5, column: 5 }]);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['code', 'severity', 'message', 'file', 'line', 'column', 'hint']));
  });

  it('has hint null when there is none, and survives a round trip through JSON', () => {
    const json = toJson({ ...mc4002, hint: undefined } as Diagnostic, sources);
    expect(json.hint).toBeNull();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('DiagnosticBag', () => {
  it('sorts by file and position, and drops exact repeats', () => {
    const bag = new DiagnosticBag();
    bag.error('MC2005', 'second', { span: spanOf('20') });
    bag.error('MC2002', 'first', { span: spanOf('name: lstm') });
    bag.error('MC2002', 'first', { span: spanOf('name: lstm') });
    bag.warning('MC3009', 'third', { span: spanOf('name: head') });
    expect(bag.sorted().map((d) => d.message)).toEqual(['first', 'second', 'third']);
    expect(bag.errorCount).toBe(2);
    expect(bag.hasErrors).toBe(true);
  });
});
