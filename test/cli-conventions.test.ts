// The command-line conventions of tsc and esbuild: --version, --help and <command> --help,
// did-you-mean for unknown options and commands (exit 2), --color / --no-color over NO_COLOR,
// and --quiet. In-process through main(), and through the real binary where the environment or
// the terminal matters.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

async function cli(args: string[], color = false) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd(), color });
  return { code, stdout, stderr };
}

function bin(args: string[], env: Record<string, string | undefined> = {}) {
  const merged = { ...process.env, ...env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete merged[key];
  return spawnSync(process.execPath, ['bin/modelc.js', ...args], { encoding: 'utf8', env: merged });
}

const ANSI = '\x1b[';

describe('--version', () => {
  it("prints the package's version and exits 0, as --version and -v, in-process and as the binary", async () => {
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-v']) {
      expect(await cli([flag])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
      const r = bin([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  }, 30_000);
});

describe('--help', () => {
  it('lists every command and the global options on standard output, exit 0', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr).toBe('');
      for (const command of ['check', 'build', 'summary', 'run']) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      for (const flag of ['--help', '--version', '--color', '--no-color', '--quiet']) expect(r.stdout).toContain(flag);
    }
  });

  it("without a command prints the usage on standard error and exits 2", async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: modelc <command> [options]');
  });

  it("<command> --help shows that command's own options and no other command's", async () => {
    const expected: Record<string, { has: string[]; not: string[] }> = {
      check: { has: ['--format text|json'], not: ['--out', '--input'] },
      build: { has: ['--out DIR'], not: ['--format', '--input'] },
      summary: { has: ['--format text|json'], not: ['--out'] },
      run: { has: ['--input IN.json', '--weights W.json', '--output OUT.json'], not: ['--format', '--out '] },
    };
    for (const [command, { has, not }] of Object.entries(expected)) {
      for (const args of [[command, '--help'], [command, '-h'], ['help', command]]) {
        const r = await cli(args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: modelc ${command} `));
        for (const h of has) expect(r.stdout, `${command}: ${h}`).toContain(h);
        for (const n of not) expect(r.stdout, `${command}: not ${n}`).not.toContain(n);
        expect(r.stdout).toContain('--quiet');
      }
    }
  });

  it('--help wins over a missing argument (no usage error)', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('unknown options and commands', () => {
  it("say 'Did you mean' with the closest option, exit 2, and write nothing to standard output", async () => {
    const r = await cli(['run', 'models/seed_lstm.yaml', '--input', 'in.json', '--ouput', 'out.json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe("modelc: Unknown option '--ouput'. Did you mean '--output'?");
    expect(r.stderr).toContain("Run 'modelc run --help' for usage.");
    expect((await cli(['check', 'models', '--fromat', 'json'])).stderr).toContain("Unknown option '--fromat'. Did you mean '--format'?");
    expect((await cli(['build', 'models', '--quite'])).stderr).toContain("Unknown option '--quite'. Did you mean '--quiet'?");
    expect((await cli(['--verison'])).stderr).toContain("Unknown option '--verison'. Did you mean '--version'?");
  });

  it("name the command that takes an option this one does not", async () => {
    const r = await cli(['check', 'models', '--out', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--out'. 'check' does not take it; 'build' and 'import' do.");
  });

  it('reject a far-off option without a guess, and unknown short options', async () => {
    const far = await cli(['build', 'models', '--frobnicate']);
    expect(far.code).toBe(2);
    expect(far.stderr.split('\n')[0]).toBe("modelc: Unknown option '--frobnicate'.");
    const short = await cli(['build', 'models', '-x']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("Unknown option '-x'.");
  });

  it('suggest the closest command', async () => {
    const r = await cli(['chek', 'models']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("modelc: Unknown command 'chek'. Did you mean 'check'?");
    expect((await cli(['sumary', 'x.yaml'])).stderr).toContain("Did you mean 'summary'?");
    expect((await cli(['frobnicate'])).stderr.split('\n')[0]).toBe("modelc: Unknown command 'frobnicate'.");
  });

  it('refuse a string option without its value, and a value on a flag', async () => {
    const r = await cli(['build', 'models', '--out']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Option '--out' needs a value: --out DIR.");
    expect((await cli(['build', 'models', '--out', '--quiet'])).stderr).toContain("Option '--out' needs a value");
    expect((await cli(['check', 'models', '--quiet=yes'])).stderr).toContain("Option '--quiet' takes no value.");
  });

  it('accept --name=value and options before the command', async () => {
    const out = mkdtempSync(join(tmpdir(), 'modelc-conv-'));
    const r = await cli(['--quiet', 'build', 'models/seed_lstm.yaml', `--out=${out}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['seed_lstm.ts']);
  });
});

describe('colour', () => {
  const broken = ['check', 'models/errors/time_distributed_2d.yaml'];

  it('--no-color turns colour off where it would be on; --color turns it on where it would be off', async () => {
    expect((await cli(broken, true)).stdout).toContain(ANSI);
    expect((await cli([...broken, '--no-color'], true)).stdout).not.toContain(ANSI);
    expect((await cli([...broken, '--color'], false)).stdout).toContain(ANSI);
    // The last one given wins, as with tsc's --pretty.
    expect((await cli([...broken, '--color', '--no-color'], false)).stdout).not.toContain(ANSI);
    expect((await cli([...broken, '--no-color', '--color'], false)).stdout).toContain(ANSI);
  });

  it('the binary: plain when piped or with NO_COLOR; --color overrides both', () => {
    expect(bin(broken, { NO_COLOR: undefined }).stdout).not.toContain(ANSI);
    const forced = bin([...broken, '--color'], { NO_COLOR: '1' });
    expect(forced.status).toBe(1);
    expect(forced.stdout).toContain(`${ANSI}31merror`);
    expect(bin([...broken, '--no-color'], { NO_COLOR: undefined }).stdout).not.toContain(ANSI);
  }, 30_000);
});

describe('--quiet', () => {
  it('drops the progress lines of check and build but keeps diagnostics and results', async () => {
    expect((await cli(['check', 'models/seed_lstm.yaml'])).stdout).toBe('1 spec checked: no errors.\n');
    expect(await cli(['check', 'models/seed_lstm.yaml', '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const out = mkdtempSync(join(tmpdir(), 'modelc-quiet-'));
    const loud = await cli(['build', 'models/seed_lstm.yaml', '--out', out]);
    expect(loud.stdout).toContain('seed_lstm.yaml -> ');
    const quiet = await cli(['build', 'models/seed_lstm.yaml', '--out', out, '-q']);
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
    const broken = await cli(['check', 'models/errors/time_distributed_2d.yaml', '-q']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('error MC4002');
    expect(broken.stdout).toContain('Found 1 error.');
    const summary = await cli(['summary', 'models/seed_lstm.yaml', '--quiet']);
    expect(summary.stdout).toContain('Total params:');
  });
});
