// Shared by the fault tests: folders of "old" and "new" modules, what is in a folder, and the id
// of a process that has exited (what a killed build leaves in its lock).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const tempFolder = (prefix: string) => mkdtempSync(join(tmpdir(), `modelc-${prefix}-`));

/** Every entry of the folder (names starting with `.` included), sorted. */
export const entries = (folder: string) => readdirSync(folder).sort();

/** The text of each regular file of the folder, by name. */
export function contents(folder: string): Record<string, string> {
  return Object.fromEntries(entries(folder).filter((n) => statSync(join(folder, n)).isFile()).map((n) => [n, readFileSync(join(folder, n), 'utf8')]));
}

/** Names modelc uses for its temporary files, folders, locks and journals. */
export const ours = (name: string) => name.startsWith('.modelc-');

let dead: number | undefined;
/** The id of a process that ran and exited (nothing else gets it for a while: ids are handed out in turn). */
export function deadPid(): number {
  dead ??= Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  return dead;
}
