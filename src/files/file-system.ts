// The file-system calls that writing output makes, as one object, so that tests can inject faults
// (a full disk after N bytes, a failing rename) into exactly the calls a build makes; production
// passes node:fs itself. Also the two small helpers every writer needs on top of them.
import * as fs from 'node:fs';

/** The synchronous node:fs calls that the writers use; node:fs itself satisfies it. */
export type WriteFs = Pick<
  typeof fs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'linkSync' | 'copyFileSync' | 'unlinkSync' | 'mkdirSync' | 'rmSync' | 'lstatSync' | 'statSync' | 'readFileSync' | 'readdirSync' | 'realpathSync'
>;

export const nodeFs: WriteFs = fs;

/** The error code of a failed call (`ENOSPC`, `EEXIST`, ...), or undefined. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Creates `path` (it must not exist), writes all of `data` and flushes it to the disk before
 * closing; when a write fails (a full disk), the partial file is removed before the error goes on.
 */
export function writeDurably(files: WriteFs, path: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = files.openSync(path, 'wx', 0o666);
  try {
    for (let at = 0; at < bytes.byteLength; ) at += files.writeSync(fd, bytes, at, bytes.byteLength - at);
    files.fsyncSync(fd);
  } catch (error) {
    files.closeSync(fd);
    removeIfPresent(files, path);
    throw error;
  }
  files.closeSync(fd);
}

/** Flushes a folder's entries (a rename or a new file in it) to the disk; a no-op where folders cannot be opened (Windows). */
export function syncFolder(files: WriteFs, folder: string): void {
  let fd: number | undefined;
  try {
    fd = files.openSync(folder, 'r');
    files.fsyncSync(fd);
  } catch {
    // Best effort: not every platform lets a folder be opened or flushed.
  } finally {
    if (fd !== undefined) files.closeSync(fd);
  }
}

/** Removes a file, and does nothing when it is already gone. */
export function removeIfPresent(files: WriteFs, path: string): void {
  try {
    files.unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** True when a process with this id runs on this machine (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}
