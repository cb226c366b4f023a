#!/usr/bin/env node
// The `modelc` command: a thin shim over the compiled CLI in dist/.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  color: process.stderr.isTTY === true && !process.env.NO_COLOR,
});
