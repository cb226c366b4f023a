// Reading the files a spec names, as a hostile spec would have them read: a path stays inside the
// spec's folder tree after symlinks are resolved, names a regular file (not a directory, FIFO,
// socket or device such as /dev/zero), and is read with a size limit, so nothing blocks, nothing
// is read without bound, and nothing outside the spec's folder is ever opened.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Default limit on a file modelc reads (a spec or a weights file): 256 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/** The limit in force: `MODELC_MAX_FILE_BYTES` when set to a positive integer, else the default. */
export function maxFileBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MODELC_MAX_FILE_BYTES;
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_FILE_BYTES;
}

export type FileProblem =
  | { readonly reason: 'absolute'; readonly message: string }
  | { readonly reason: 'outside'; readonly message: string }
  | { readonly reason: 'missing'; readonly message: string }
  | { readonly reason: 'not-regular'; readonly message: string; readonly kind: string }
  | { readonly reason: 'too-large'; readonly message: string; readonly size: number; readonly limit: number }
  | { readonly reason: 'unreadable'; readonly message: string };

export type ReadResult = { readonly ok: true; readonly bytes: Buffer; readonly path: string } | ({ readonly ok: false } & FileProblem);

/** What a file is, in words, for messages: "a directory", "a FIFO", "a character device", ... */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** "1.5 MiB (1,572,864 bytes)". */
export function formatBytes(size: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = size;
  let unit = '';
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  const exact = `${size.toLocaleString('en-US')} byte${size === 1 ? '' : 's'}`;
  return unit === '' ? exact : `${value.toFixed(1)} ${unit} (${exact})`;
}

/**
 * Resolve `path` (as written in the spec, relative to the spec's folder) to a real path inside
 * the folder tree of `specFile`. Refuses absolute paths, `..` escapes and symlinks that lead out.
 */
export function resolveInside(specFile: string, path: string): { ok: true; path: string } | ({ ok: false } & FileProblem) {
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path) || path.startsWith('\\')) {
    return { ok: false, reason: 'absolute', message: `the path is absolute; a path in a spec is relative to the spec's folder and stays inside it` };
  }
  let root: string;
  try {
    root = realpathSync(dirname(resolve(specFile)));
  } catch {
    return { ok: false, reason: 'unreadable', message: "the spec's folder cannot be resolved" };
  }
  const lexical = resolve(root, path);
  if (!within(root, lexical)) return { ok: false, reason: 'outside', message: "the path leaves the spec's folder tree" };
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { ok: false, reason: 'missing', message: 'no such file' } : { ok: false, reason: 'unreadable', message: `it cannot be resolved (${code ?? 'error'})` };
  }
  if (!within(root, real)) return { ok: false, reason: 'outside', message: "the path leads out of the spec's folder tree through a symbolic link" };
  return { ok: true, path: real };
}

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Read a regular file of at most `limit` bytes. Opened non-blocking, so a FIFO cannot hang the
 * read; checked with fstat on the open descriptor (no race between the check and the read); read
 * in chunks, never more than `limit + 1` bytes, so a file that grows or lies about its size
 * (/proc, devices) cannot exhaust memory.
 */
export function readFileLimited(path: string, limit: number = maxFileBytes()): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', message: 'no such file' };
    if (code === 'EISDIR') return { ok: false, reason: 'not-regular', kind: 'a directory', message: 'it is a directory, not a regular file' };
    return { ok: false, reason: 'unreadable', message: `it cannot be opened (${code ?? 'error'})` };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const kind = fileKind(stats);
      return { ok: false, reason: 'not-regular', kind, message: `it is ${kind}, not a regular file` };
    }
    if (stats.size > limit) return tooLarge(stats.size, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunkSize = Math.min(Math.max(stats.size + 1, 64 * 1024), limit + 1, 16 * 1024 * 1024);
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkSize, limit + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        return { ok: false, reason: 'unreadable', message: `it cannot be read (${code ?? 'error'})` };
      }
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > limit) return tooLarge(total, limit, true);
    }
    return { ok: true, bytes: Buffer.concat(chunks, total), path };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, limit: number, atLeast = false): ReadResult {
  return {
    ok: false,
    reason: 'too-large',
    size,
    limit,
    message: `it is ${atLeast ? 'more than ' : ''}${formatBytes(atLeast ? limit : size)}, over the limit of ${formatBytes(limit)}`,
  };
}

/**
 * What a file that should be text looks like, without quoting it: "1,234 bytes of binary data",
 * "56 bytes of text". For messages that must not echo a file's content.
 */
export function describeContent(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, 4096);
  let binary = false;
  for (const b of sample) {
    if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27)) {
      binary = true;
      break;
    }
  }
  const size = formatBytes(bytes.length);
  if (bytes.length === 0) return 'an empty file';
  return binary ? `${size} of binary data` : `${size} of text`;
}
