// Reading the entries of a `.keras` archive (a zip) with fflate, refusing hostile archives before
// inflating anything: every entry's declared size is checked against a limit (a zip bomb
// declares a huge size), the inflated size must equal the declared one, and a truncated or
// damaged archive is an error, never a partial read.
import { unzipSync } from 'fflate';
import { errorText, fail } from './problems.js';

/** The most an archive may inflate to, all entries together. */
export const maxUnpackedBytes = 1024 * 1024 * 1024;

/** The named entries of the archive (others are skipped unread); throws ImportFailure (MC7002). */
export function readZip(bytes: Uint8Array, wanted: readonly string[], file: string): Map<string, Uint8Array> {
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail('MC7002', `"${file}" is not a zip archive, as a .keras file must be.`);
  let declared = 0;
  const sizes = new Map<string, number>();
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter(entry) {
        if (!wanted.includes(entry.name)) return false;
        declared += entry.originalSize;
        if (entry.originalSize > maxUnpackedBytes || declared > maxUnpackedBytes) {
          fail('MC7002', `"${file}" declares ${entry.originalSize} bytes for "${entry.name}" once unpacked, more than the ${maxUnpackedBytes / 2 ** 20} MiB limit: refused, nothing was unpacked.`);
        }
        if (entry.compression !== 0 && entry.compression !== 8) fail('MC7002', `"${file}" stores "${entry.name}" with zip compression method ${entry.compression}; modelc reads stored and deflated entries only.`);
        sizes.set(entry.name, entry.originalSize);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'ImportFailure') throw error;
    if ((error as { problems?: unknown }).problems) throw error;
    fail('MC7002', `"${file}" is a damaged or truncated zip archive (${errorText(error)}).`);
  }
  const result = new Map<string, Uint8Array>();
  for (const name of wanted) {
    const data = entries[name];
    if (data === undefined) continue;
    if (data.length !== sizes.get(name)) fail('MC7002', `"${file}": entry "${name}" unpacks to ${data.length} bytes, but the archive declares ${sizes.get(name)}: the archive is damaged.`);
    result.set(name, data);
  }
  return result;
}
