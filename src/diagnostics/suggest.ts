// "Did you mean ...?": the closest known name, case-insensitive first, then by edit distance
// (a swap of two neighbouring letters counts as one edit: `Desne` -> `Dense`), then the names
// that start with what was written (`glorot` -> `glorot_uniform` or `glorot_normal`).

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a third of the name's length in edits, or undefined. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const lower = name.toLowerCase();
  const sameCase = list.find((c) => c.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** Suggestions for a name: the closest one, else up to three that start with it. */
export function suggestions(name: string, candidates: Iterable<string>): string[] {
  const list = [...candidates];
  const match = closest(name, list);
  if (match !== undefined) return [match];
  const lower = name.toLowerCase();
  if (lower.length < 3) return [];
  const prefixed = list.filter((c) => c.toLowerCase().startsWith(lower));
  return prefixed.length <= 3 ? prefixed : [];
}

export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const found = suggestions(name, candidates).map((s) => `"${s}"`);
  if (found.length === 0) return undefined;
  const last = found.pop()!;
  return `did you mean ${found.length === 0 ? last : `${found.join(', ')} or ${last}`}?`;
}
