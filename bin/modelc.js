#!/usr/bin/env node
// The `modelc` command: a thin shim over the compiled CLI in dist/.
import { main } from '../dist/cli.js';

// A reader that stops early (`modelc check ... | head`) closes the pipe: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

try {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    color: process.stdout.isTTY === true && process.stderr.isTTY === true && !process.env.NO_COLOR,
  });
} catch (error) {
  // User mistakes are diagnostics; anything thrown here is a bug in modelc.
  process.stderr.write(`modelc: internal error: ${error instanceof Error ? error.message : String(error)}\nPlease report it with the spec that caused it (MODELC_DEBUG=1 shows the stack).\n`);
  if (process.env.MODELC_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
  process.exitCode = 70;
}
