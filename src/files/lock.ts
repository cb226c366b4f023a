// One writer at a time per output folder: `<folder>/.modelc-lock`, created exclusively (O_EXCL),
// holding the owner's process id and host. A second command waits for it (polling, up to the
// wait limit), then gives up with MC1006. A lock whose owner is gone (killed: SIGKILL leaves it)
// is stale and is broken, under a second, short-lived lock (`.modelc-lock.break`), so that two
// waiters that both see it stale cannot both break it and then both believe they hold it.
// `.modelc-lock-<pid>-<random>` is the lock being made (see tryCreate); recovery removes those of
// processes that are gone.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { errorCode, processAlive, removeIfPresent, writeDurably, type WriteFs } from './file-system.js';
import { WriteError } from './write-error.js';

export const LOCK_FILE = '.modelc-lock';
const BREAK_FILE = '.modelc-lock.break';
/** A break lock older than this is left over from a killed command (breaking takes microseconds). */
const BREAK_STALE_MS = 5_000;
/** A lock file too short-lived to have been written yet, or garbled, is stale after this. */
const UNREADABLE_STALE_MS = 10_000;
const POLL_MS = 20;

/** The default wait for another command's lock: `MODELC_LOCK_WAIT_MS` when set to a non-negative integer, else 60 s. */
export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.MODELC_LOCK_WAIT_MS ?? NaN);
  return Number.isSafeInteger(value) && value >= 0 ? value : 60_000;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: number;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => void Atomics.wait(sleeper, 0, 0, ms);

function readHolder(files: WriteFs, path: string): { raw: string; holder?: Holder } | undefined {
  let raw: string;
  try {
    raw = files.readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<Holder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.since === 'number') return { raw, holder: parsed as Holder };
  } catch {
    // Garbled, or being written right now: judged by its age below.
  }
  return { raw };
}

function ageMs(files: WriteFs, path: string): number {
  try {
    return Date.now() - files.statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function isStale(files: WriteFs, path: string, holder: Holder | undefined): boolean {
  if (holder === undefined) return ageMs(files, path) > UNREADABLE_STALE_MS;
  // A lock taken on another machine (a shared folder) is never judged by a local process id.
  return holder.host === hostname() && holder.pid !== process.pid && !processAlive(holder.pid);
}

/** Removes the lock file if it still holds `raw` (the stale content we judged), under the break lock. */
function breakStale(files: WriteFs, folder: string, raw: string): void {
  const breaker = join(folder, BREAK_FILE);
  try {
    writeDurably(files, breaker, String(process.pid));
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    if (ageMs(files, breaker) > BREAK_STALE_MS) removeIfPresent(files, breaker);
    return;
  }
  try {
    if (readHolder(files, join(folder, LOCK_FILE))?.raw === raw) removeIfPresent(files, join(folder, LOCK_FILE));
  } finally {
    removeIfPresent(files, breaker);
  }
}

/**
 * Creates the lock file whole: written under a name of our own, then hard-linked to the lock's name
 * (which fails if it exists), so a kill can never leave an empty or half-written lock. Where links
 * are not supported it is created in place. Returns false when another command holds the lock.
 */
function tryCreate(files: WriteFs, folder: string, mine: string): boolean {
  const path = join(folder, LOCK_FILE);
  const own = join(folder, `${LOCK_FILE}-${process.pid}-${randomBytes(4).toString('hex')}`);
  writeDurably(files, own, mine);
  try {
    files.linkSync(own, path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    return createInPlace(files, path, mine);
  } finally {
    removeIfPresent(files, own);
  }
}

function createInPlace(files: WriteFs, path: string, mine: string): boolean {
  try {
    writeDurably(files, path, mine);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/** Takes the folder's lock, waiting up to `waitMs` for another command's; returns its release. */
export function acquireLock(files: WriteFs, folder: string, waitMs: number): () => void {
  const path = join(folder, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() } satisfies Holder);
  const started = Date.now();
  for (;;) {
    // Only a free lock is tried (each try writes a file): a waiter just reads the holder's.
    const seen = readHolder(files, path);
    if (seen === undefined) {
      if (tryCreate(files, folder, mine)) {
        return () => {
          // Only our own lock: never one that a later command took after judging ours stale.
          if (readHolder(files, path)?.raw === mine) removeIfPresent(files, path);
        };
      }
      continue;
    }
    if (isStale(files, path, seen.holder)) {
      breakStale(files, folder, seen.raw);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= waitMs) {
      const seconds = (n: number) => (n / 1000).toFixed(1);
      const holding = seen.holder ? Date.now() - seen.holder.since : ageMs(files, path);
      throw WriteError.of(
        'MC1006',
        folder,
        { folder, pid: seen.holder?.pid ?? 'unknown', seconds: seconds(holding), wait: seconds(waitMs) },
        `wait for it to finish, or raise the wait with MODELC_LOCK_WAIT_MS (milliseconds). A lock left by a command that was killed is removed by the next one; if no modelc command runs, delete ${path}.`,
      );
    }
    sleep(Math.min(POLL_MS, waitMs - waited));
  }
}
