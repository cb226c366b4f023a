// `modelc build --watch` and `modelc check --watch`: run once, then again whenever a spec or a
// weights file a spec names is added, changed, removed or renamed, as `tsc --watch` does:
//
//   23:01:02 - Starting compilation in watch mode...
//   ...diagnostics...
//   23:01:03 - Found 1 error. Watching for file changes.
//   23:01:09 - File change detected. Starting incremental compilation...
//
// Events come from chokidar (5: 6 needs Node 22), which dedupes what fs.watch reports twice and
// follows editors' save-by-rename. We watch folders, not files (the folders given, and the folder
// of each spec and weights file) and keep the events for files that matter, so a file that is
// removed and made again, or renamed into place, is seen. A burst of events (one save is often a
// truncate and a write) makes one run, `debounceMs` (200) after the last event. A run is synchronous,
// so Ctrl-C (SIGINT or SIGTERM) always lands between runs: the watcher closes and the command
// returns 0, with every output file whole (builds are all or nothing).
import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { watch as chokidar, type FSWatcher } from 'chokidar';
import type { Outcome } from '../commands/build.js';
import type { Host } from '../host.js';

export interface WatchOptions {
  /** The command's arguments: spec files and folders of specs. */
  readonly paths: readonly string[];
  /** One run of the command, printing its diagnostics but not the `Found N errors.` line. */
  readonly run: (host: Host) => Outcome;
  readonly debounceMs?: number;
  /** Stops watching (tests); SIGINT and SIGTERM always do. */
  readonly signal?: AbortSignal;
}

const specExtension = /\.(ya?ml|json)$/;

function clock(): string {
  const now = new Date();
  return [now.getHours(), now.getMinutes(), now.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function watch(host: Host, options: WatchOptions): Promise<number> {
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(host.cwd, path));
  const isDir = (path: string) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  };
  // Folders given on the command line: any spec file directly inside them matters.
  const specFolders = new Set(options.paths.map(abs).filter(isDir));
  // Files that matter: specs given by name, specs found in folders, and the weights they name.
  let files = new Set<string>();
  const watchedFolders = new Set<string>();
  const say = (text: string) => host.stdout(`${clock()} - ${text}\n`);

  let watcher: FSWatcher | undefined;
  /** Follow the files a run read; resolves when the watcher has every folder they live in. */
  const follow = async (read: readonly string[]) => {
    // Keep earlier files too: a spec that no longer parses still names the weights it named.
    files = new Set([...files, ...options.paths.map(abs).filter((p) => !specFolders.has(p)), ...read.map(abs)]);
    const folders = new Set([...specFolders, ...[...files].map((f) => dirname(f))]);
    const added = [...folders].filter((f) => !watchedFolders.has(f)).sort();
    for (const f of added) watchedFolders.add(f);
    if (watcher === undefined) {
      watcher = chokidar(added, { ignoreInitial: true, depth: 0, persistent: true });
      await new Promise<void>((ready) => watcher!.once('ready', () => ready()));
    } else if (added.length > 0) watcher.add(added);
  };
  const matters = (path: string) => files.has(path) || (specFolders.has(dirname(path)) && specExtension.test(path));

  // Everything on standard output, as tsc --watch does, so that diagnostics and status lines
  // keep their order when both streams go to one terminal or pipe.
  const ordered: Host = { ...host, stderr: host.stdout };
  const runOnce = async () => {
    const outcome = options.run(ordered);
    await follow(outcome.read);
    say(`Found ${plural(outcome.errors, 'error')}. Watching for file changes.`);
  };

  // Ctrl-C from the start: between runs, close the watcher and return 0.
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<number>((resolveDone) => {
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      void (watcher?.close() ?? Promise.resolve()).then(() => resolveDone(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop);
  });

  if (!host.quiet) say('Starting compilation in watch mode...');
  await runOnce();
  if (stopped) {
    await watcher?.close();
    return done;
  }

  const changed = new Set<string>();
  watcher!.on('all', (event, path) => {
    if (event === 'addDir' || event === 'unlinkDir') return;
    const full = abs(path);
    if (!matters(full)) return;
    changed.add(relative(host.cwd, full) || full);
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      if (!host.quiet) say(`File change detected (${[...changed].sort().join(', ')}). Starting incremental compilation...`);
      changed.clear();
      void runOnce();
    }, options.debounceMs ?? 200);
  });

  return done;
}
