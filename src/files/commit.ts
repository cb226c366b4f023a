// Writing a set of files all or nothing: what `modelc build` (and watch mode, which runs it),
// `modelc import`, `modelc plot` and `modelc run --output` write goes through `writeAll`.
//
//   1. lock the folder (lock.ts) and recover what a killed command left (journal.ts);
//   2. check every target before anything is written: a directory or device where a file should
//      be (MC1004), a file name over 255 bytes (MC1005);
//   3. journal 'staging'; write each new file into `.modelc-staging-<pid>-<random>/<i>` beside its
//      target (short names, the same file system, so the rename is atomic) and flush it; link each
//      old file as a backup;
//   4. journal 'commit' (the commit point), rename every staged file onto its target, flush the
//      folders, remove the staging folders and the journal, unlock.
//
// Any failure before the commit point (a full disk: MC1007) removes what was staged and leaves
// every target as it was. A failed rename after it puts the old files back. A kill at any moment
// leaves a journal that the next command writing to the folder completes or rolls back, with its
// temporary files. Files in the folder that modelc did not write are never touched.
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { fileKind } from '../source/read-file.js';
import { errorCode, nodeFs, writeDurably, type WriteFs } from './file-system.js';
import { finish, recover, settle, STAGING_PREFIX, writeJournal, type Journal, type JournalEntry } from './journal.js';
import { acquireLock, lockWaitMs } from './lock.js';
import { asWriteError, NAME_MAX, nameTooLong, notAFile } from './write-error.js';

export interface OutputFile {
  /** Absolute path. */
  readonly path: string;
  readonly data: string | Uint8Array;
}

export interface WriteOptions {
  /** The file-system calls (tests inject faults); default node:fs. */
  readonly files?: WriteFs;
  /** How long to wait for another command's lock on the folder; default `lockWaitMs()`. */
  readonly waitMs?: number;
}

/**
 * Writes every file or none. `folder` (created if missing) holds the lock and the journal; the
 * files are usually in it (a `--types` sidecar is beside its spec). Throws a WriteError.
 */
export function writeAll(folder: string, outputs: readonly OutputFile[], options: WriteOptions = {}): void {
  const files = options.files ?? nodeFs;
  makeFolder(files, folder);
  let release: () => void;
  try {
    release = acquireLock(files, folder, options.waitMs ?? lockWaitMs());
  } catch (error) {
    throw asWriteError(error, folder, folder);
  }
  try {
    recover(files, folder);
    const journal = plan(files, outputs);
    stage(files, folder, journal, outputs);
    commit(files, folder, journal);
  } catch (error) {
    throw asWriteError(error, folder, folder);
  } finally {
    release();
  }
}

function makeFolder(files: WriteFs, folder: string): void {
  try {
    files.mkdirSync(folder, { recursive: true });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST' && errorCode(error) !== 'ENOTDIR') throw asWriteError(error, folder, folder);
    throw notAFile(folder, `${fileKind(files.statSync(folder))}, where a folder is needed`);
  }
}

/** Checks every target and names the staged file and the backup of each. */
function plan(files: WriteFs, outputs: readonly OutputFile[]): Journal {
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const entries = outputs.map(({ path: given }, i): JournalEntry => {
    if (Buffer.byteLength(basename(given)) > NAME_MAX) throw nameTooLong(given);
    const { path, existed } = existingFile(files, given);
    const staging = join(dirname(path), `${STAGING_PREFIX}${token}`);
    return { target: path, staged: join(staging, `${i}`), ...(existed ? { backup: join(staging, `${i}.old`) } : {}) };
  });
  return { state: 'staging', folders: [...new Set(entries.map((e) => dirname(e.staged)))], entries };
}

/**
 * Where the file goes (through a symbolic link, to the file it names, so the link stays) and
 * whether a file is there already; MC1004 for a directory, a FIFO, a device, a socket.
 */
function existingFile(files: WriteFs, given: string): { path: string; existed: boolean } {
  let stats;
  try {
    stats = files.lstatSync(given);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { path: given, existed: false };
    throw error;
  }
  if (stats.isSymbolicLink()) {
    let path: string;
    try {
      path = files.realpathSync(given);
    } catch {
      return { path: given, existed: true }; // A dangling link: replaced by the file.
    }
    return existingFile(files, path);
  }
  if (!stats.isFile()) throw notAFile(given, fileKind(stats));
  return { path: given, existed: true };
}

/** Step 3: every new file written and flushed, every old one backed up; on failure, nothing is left. */
function stage(files: WriteFs, folder: string, journal: Journal, outputs: readonly OutputFile[]): void {
  writeJournal(files, folder, journal);
  let at = folder;
  try {
    for (const staging of journal.folders) files.mkdirSync((at = staging));
    journal.entries.forEach(({ target, staged, backup }, i) => {
      at = target;
      writeDurably(files, staged, outputs[i]!.data);
      if (backup !== undefined) backUp(files, target, backup);
    });
  } catch (error) {
    bestEffort(() => finish(files, folder, journal));
    throw asWriteError(error, at, folder);
  }
}

/** A hard link to the old file (no copy, no space), or a copy where links are not supported. */
function backUp(files: WriteFs, target: string, backup: string): void {
  try {
    files.linkSync(target, backup);
  } catch (error) {
    if (errorCode(error) === 'ENOSPC' || errorCode(error) === 'EDQUOT') throw error;
    files.copyFileSync(target, backup);
  }
}

/** Step 4: past the commit point, every target is replaced, or (a rename failed) every old file is back. */
function commit(files: WriteFs, folder: string, journal: Journal): void {
  try {
    writeJournal(files, folder, { ...journal, state: 'commit' });
  } catch (error) {
    bestEffort(() => finish(files, folder, journal));
    throw error;
  }
  const committed: Journal = { ...journal, state: 'commit' };
  let at = folder;
  try {
    for (const { target, staged } of journal.entries) files.renameSync(staged, (at = target));
  } catch (error) {
    const rollback: Journal = { ...journal, state: 'rollback' };
    bestEffort(() => {
      writeJournal(files, folder, rollback);
      settle(files, rollback);
      finish(files, folder, rollback);
    });
    throw asWriteError(error, at, folder);
  }
  settle(files, committed);
  // The new files are in place: what is left is tidying, which the next command redoes if it fails.
  bestEffort(() => finish(files, folder, committed));
}

/** Cleaning up after a failure must not hide the failure; what it cannot do, recovery does later. */
function bestEffort(step: () => void): void {
  try {
    step();
  } catch {
    // Left for the next command's recovery.
  }
}
