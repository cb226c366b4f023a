// The journal of a build in progress, `<folder>/.modelc-journal`, and the recovery that the next
// command writing to the folder runs: a command killed (SIGKILL, a power cut) at any moment leaves
// a journal that says how far it got, and recovery makes the folder all old or all new.
//
//   state 'staging'   the new files are being written into staging folders; no target is touched.
//                     Recovery rolls back: it removes the staging folders.
//   state 'commit'    every new file is on disk (flushed): the renames onto the targets may have
//                     begun. Recovery rolls forward: it renames every staged file still there.
//   state 'rollback'  a rename failed (not a kill): the old files are put back from their backups
//                     (hard links made while staging), and new files that had no old one removed.
//
// The journal is replaced atomically (written to `.modelc-journal.tmp`, flushed, renamed), so it is
// always one whole state; the rename to 'commit' is the commit point. Recovery also removes what
// older versions of modelc or killed commands left: `.modelc-tmp-<pid>-*` files,
// `.modelc-staging-<pid>-*` folders and `.modelc-lock-<pid>-*` files of processes that are gone. It removes only names modelc makes.
import { basename, dirname, join } from 'node:path';
import { errorCode, processAlive, removeIfPresent, syncFolder, writeDurably, type WriteFs } from './file-system.js';

export const JOURNAL_FILE = '.modelc-journal';
const JOURNAL_TEMP = '.modelc-journal.tmp';
export const STAGING_PREFIX = '.modelc-staging-';
/** The temporary files of modelc before journals: `.modelc-tmp-<pid>-<name>`. */
const OLD_TEMPORARY = /^\.modelc-tmp-(\d+)-/;
const STAGING_FOLDER = /^\.modelc-staging-(\d+)-[0-9a-f]+$/;
/** A lock file being made (lock.ts). */
const LOCK_IN_MAKING = /^\.modelc-lock-(\d+)-[0-9a-f]+$/;

export interface JournalEntry {
  /** The file to replace or create (absolute). */
  readonly target: string;
  /** The new content, in a staging folder beside the target. */
  readonly staged: string;
  /** A hard link to (or copy of) the old file, when there was one. */
  readonly backup?: string;
}

export interface Journal {
  readonly state: 'staging' | 'commit' | 'rollback';
  /** The staging folders (absolute), one in each folder that a target is in. */
  readonly folders: readonly string[];
  readonly entries: readonly JournalEntry[];
}

function exists(files: WriteFs, path: string): boolean {
  try {
    files.lstatSync(path);
    return true;
  } catch (error) {
    // Gone, or its folder is (a folder moved or replaced since the journal was written).
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return false;
    throw error;
  }
}

/** Replaces the folder's journal with this one, atomically and durably. */
export function writeJournal(files: WriteFs, folder: string, journal: Journal): void {
  const temporary = join(folder, JOURNAL_TEMP);
  removeIfPresent(files, temporary);
  writeDurably(files, temporary, `${JSON.stringify(journal, null, 1)}\n`);
  files.renameSync(temporary, join(folder, JOURNAL_FILE));
  syncFolder(files, folder);
}

function readJournal(files: WriteFs, folder: string): Journal | undefined {
  let text: string;
  try {
    text = files.readFileSync(join(folder, JOURNAL_FILE), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
    if (!Array.isArray(journal.entries) || !Array.isArray(journal.folders)) throw new TypeError('not a journal');
  } catch {
    // Never written by modelc (it replaces the journal whole): nothing in it can be trusted.
    removeIfPresent(files, join(folder, JOURNAL_FILE));
    return undefined;
  }
  // Only ever staging folders: a damaged or edited journal cannot make recovery remove other folders.
  return { ...journal, folders: journal.folders.filter((f) => basename(f).startsWith(STAGING_PREFIX)) };
}

/** Brings the targets to all old ('staging', 'rollback') or all new ('commit'); safe to run again after a kill. */
export function settle(files: WriteFs, journal: Journal): void {
  for (const { target, staged, backup } of journal.entries) {
    if (journal.state === 'commit') {
      if (exists(files, staged)) files.renameSync(staged, target);
    } else if (journal.state === 'rollback') {
      if (backup !== undefined) {
        if (exists(files, backup)) files.renameSync(backup, target);
      } else if (!exists(files, staged)) removeIfPresent(files, target);
    }
  }
  for (const folder of new Set(journal.entries.map((e) => dirname(e.target)))) syncFolder(files, folder);
}

/** Removes the staging folders (new files not renamed, backups), then the journal. */
export function finish(files: WriteFs, folder: string, journal: Journal): void {
  for (const staging of journal.folders) files.rmSync(staging, { recursive: true, force: true });
  removeIfPresent(files, join(folder, JOURNAL_FILE));
  syncFolder(files, folder);
}

/** What a killed command left in the folder: its journal settled and finished, and old leftovers removed. Run under the folder's lock. */
export function recover(files: WriteFs, folder: string): void {
  const journal = readJournal(files, folder);
  if (journal !== undefined) {
    settle(files, journal);
    finish(files, folder, journal);
  }
  for (const name of files.readdirSync(folder)) {
    if (name === JOURNAL_TEMP) removeIfPresent(files, join(folder, name));
    const owner = OLD_TEMPORARY.exec(name) ?? STAGING_FOLDER.exec(name) ?? LOCK_IN_MAKING.exec(name);
    if (owner && Number(owner[1]) !== process.pid && !processAlive(Number(owner[1]))) files.rmSync(join(folder, name), { recursive: true, force: true });
  }
}
