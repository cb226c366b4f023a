// What the CLI needs from the outside world, so tests can run it in-process.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export interface Host {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  readonly color: boolean;
  /** `--quiet`: print diagnostics and results only, no progress lines. */
  readonly quiet?: boolean;
  /** Ends `--watch` (in-process callers; the binary stops on Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** Read a file relative to the host's working directory; undefined when it cannot be read. */
export function readText(host: Host, path: string): string | undefined {
  try {
    return readFileSync(isAbsolute(path) ? path : resolve(host.cwd, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** Read a binary file relative to the host's working directory; undefined when it cannot be read. */
export function readBytes(host: Host, path: string): Uint8Array | undefined {
  try {
    return readFileSync(isAbsolute(path) ? path : resolve(host.cwd, path));
  } catch {
    return undefined;
  }
}
