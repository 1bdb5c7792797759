// Close names for a misspelt reference: Levenshtein distance, small enough to be a typo.

function levenshtein(a: string, b: string): number {
    if (a === b) return 0;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
        }
        previous = current;
    }
    return previous[b.length];
}

/**
 * Candidates within a typo's reach of `name` (case-insensitive distance at most max(2, a third of
 * the name's length)), nearest first, at most `limit`.
 */
export function closeNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
    const reach = Math.max(2, Math.floor(name.length / 3));
    const scored = [...new Set(candidates)]
        .map(candidate => ({ candidate, distance: levenshtein(name.toLowerCase(), candidate.toLowerCase()) }))
        .filter(s => s.distance <= reach && s.candidate !== name)
        .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
    return scored.slice(0, limit).map(s => s.candidate);
}
