// Small wording helpers shared by the text views and their error messages: counts with the
// right plural ("1 preemption", "2 preemptions") and the nearest known name to a misspelt one.

/** `n word`, with the plural form when n is not 1 (`plural(1, "call")` is "1 call"). The
 * plural defaults to word + "s" ("process" gives `pluralForm` "processes"). */
export function plural(n: number, word: string, pluralForm = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralForm}`;
}

/** Edit distance between a and b: insertions, deletions, substitutions and swaps of two
 * neighbours ("icp" is one edit from "ipc"), each counting 1 (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), prev[j] + 1, row[j - 1] + 1);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2] + 1);
      }
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

/** The known name closest to `name` (case-insensitively), when it is close enough to be a
 * likely typo (at most a third of its length apart, and at least 1 edit allowed); else
 * undefined. Ties go to the earlier known name. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` for a misspelt name, or "" when nothing known is close. */
export function didYouMean(name: string, known: readonly string[]): string {
  const n = nearest(name, known);
  return n === undefined ? "" : ` (did you mean "${n}"?)`;
}
