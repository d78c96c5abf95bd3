/** Case, hyphens and underscores do not make a different word: `domain_controller` is `domain-controller`. */
function fold(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * Past this length a word is no misspelling of a key (the longest is 20 characters): no
 * suggestion is looked for, so a megabyte-long key costs no quadratic edit-distance work.
 */
export const LONGEST_SUGGESTED = 64;

/** The candidate the user most likely meant, or undefined when none is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > LONGEST_SUGGESTED) return undefined;
  const folded = fold(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const target = fold(candidate);
    const allowed = Math.max(1, Math.floor(Math.max(folded.length, target.length) / 3));
    // The distance is at least the difference in length: no need to compute it.
    if (Math.abs(folded.length - target.length) > allowed) continue;
    const d = distance(folded, target);
    if (d <= allowed && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `(did you mean "address"?)`, or the whole list when nothing is close. */
export function suggestion(word: string, candidates: readonly string[]): string {
  const near = closest(word, candidates);
  return near === undefined ? `(expected one of: ${candidates.join(', ')})` : `(did you mean "${near}"?)`;
}
