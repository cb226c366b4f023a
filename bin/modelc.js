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

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  color: process.stdout.isTTY === true && process.stderr.isTTY === true && !process.env.NO_COLOR,
});
