// Reading the entries of a `.keras` archive (a zip) with fflate, refusing hostile archives before
// inflating anything: every entry's declared size is checked against a limit (a zip bomb
// declares a huge size), the inflated size must equal the declared one, every entry's CRC-32
// must match the central directory's (Keras stores entries uncompressed, so a damaged byte in
// the weights would otherwise go unseen), and a truncated or damaged archive is an error,
// never a partial read.
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
  const crcs = centralCrcs(bytes);
  const result = new Map<string, Uint8Array>();
  for (const name of wanted) {
    const data = entries[name];
    if (data === undefined) continue;
    if (data.length !== sizes.get(name)) fail('MC7002', `"${file}": entry "${name}" unpacks to ${data.length} bytes, but the archive declares ${sizes.get(name)}: the archive is damaged.`);
    const expected = crcs.get(name);
    if (expected === undefined || crc32(data) !== expected) fail('MC7002', `"${file}": entry "${name}" fails its CRC-32 check: the archive is damaged.`);
    result.set(name, data);
  }
  return result;
}

/** Each entry's CRC-32 from the central directory (fflate has already checked its structure). */
function centralCrcs(bytes: Uint8Array): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const crcs = new Map<string, number>();
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) return crcs;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  for (let i = 0; i < count && at + 46 <= bytes.length && view.getUint32(at, true) === 0x02014b50; i++) {
    const nameLength = view.getUint16(at + 28, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    crcs.set(name, view.getUint32(at + 16, true));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return crcs;
}

const crcTable = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
