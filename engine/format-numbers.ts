// Number texts shared by diagnostics, hovers, CodeLens, inlay hints, the results view and the CLI: spec values,
// measurements, sizes (SI: kB, MB, GB), durations. Pure: no imports, so the webview bundle can use it too.

/** Formats a number the way a user would write it in a spec (no float noise: 0.1 + 0.2 prints 0.3). */
export function formatNumber(value: number): string {
    if (typeof value !== 'number') return '?'; // a value still being typed (partial parse)
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(12)));
}

/** Scientific with two significant digits: errors span many decades, so the exponent is what matters. */
export function sci(x: number | undefined): string {
    if (x === undefined) return '–';
    if (Number.isNaN(x)) return 'NaN';
    if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
    if (x === 0) return '0';
    return x.toExponential(1).replace('e+', 'e');
}

/**
 * Measurements in tables (errors, weights, densities): three significant digits; the exponent form (3.30e-9) below
 * 1e-3 and from 1e5 on. `undefined` or `null` (not measured) is '-'.
 */
export function num(x: number | null | undefined): string {
    // null: a NaN that crossed JSON (a diverged run's metrics), shown as not measured
    if (x === undefined || x === null) return '-';
    if (!Number.isFinite(x)) return String(x);
    if (x === 0) return '0';
    const a = Math.abs(x);
    if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(3)));
    return x.toExponential(2).replace('e+', 'e');
}

/** The memorisation quotient mse(fresh) / mse(pool): '–' when null (both at the float floor), '-' when not measured. */
export function quotientText(q: number | null | undefined): string {
    return q === null ? '–' : num(q);
}

/** A count with its noun: "1 unit", "2 units", "1 matrix" (`plural` for nouns whose plural is not noun + s). */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
    return `${formatNumber(count)} ${count === 1 ? noun : pluralNoun}`;
}

/**
 * A share as a percentage with one decimal ("50.0%"); below 0.1% with two significant digits, so that a density of
 * 1/n at n = 100000 reads "0.001%", not "0.0%".
 */
export function formatPercent(share: number): string {
    const p = 100 * share;
    if (p === 0 || !Number.isFinite(p)) return `${p}%`;
    return Math.abs(p) >= 0.1 ? `${p.toFixed(1)}%` : `${Number(p.toPrecision(2))}%`;
}

/** The label of the path-weight error: E is compared with c1, the coefficient of A x in the target (1 for matvec). */
export function pathWeightLabel(target: number | undefined, compact = false): string {
    const c = formatNumber(target ?? 1);
    return compact ? `mean|E-${c}|` : `mean |E - ${c}|`;
}

/** One decimal, without a trailing ".0" (8 GB, 12.3 GB). */
function oneDecimal(x: number): string {
    return x.toFixed(1).replace(/\.0$/, '');
}

/** Bytes in SI units, the one byte unit of the tool (check, --plan, hovers): "512 B", "12 kB", "3.4 MB", "2.9 GB". */
export function formatBytes(bytes: number): string {
    if (bytes < 1e3) return `${Math.round(bytes)} B`;
    if (bytes >= 1e9) return `${oneDecimal(bytes / 1e9)} GB`;
    if (bytes >= 1e6) return `${oneDecimal(bytes / 1e6)} MB`;
    return `${Math.round(bytes / 1e3)} kB`;
}

/** A distribution as a spec writes it: "binary", "uniform(-1, 1)", "normal(0, 0.5)". */
export function formatDistribution(
    d: { kind: 'binary' } | { kind: 'uniform'; low: number; high: number } | { kind: 'normal'; mean: number; std: number },
): string {
    switch (d.kind) {
        case 'binary':
            return 'binary';
        case 'uniform':
            return `uniform(${formatNumber(d.low)}, ${formatNumber(d.high)})`;
        case 'normal':
            return `normal(${formatNumber(d.mean)}, ${formatNumber(d.std)})`;
    }
}

/** A sweep value as a spec writes it: a number without float noise, or a name (`relu`). */
export function formatSweepValue(value: number | string | undefined): string {
    return typeof value === 'string' ? value : value === undefined ? '' : formatNumber(value);
}

/** A sweep point by its parameters, as a spec writes them: "size 5, sparsity 0.2", "activation relu". */
export function formatPoint(params: Partial<Record<string, number | string>>): string {
    return Object.entries(params)
        .map(([k, v]) => `${k} ${formatSweepValue(v)}`)
        .join(', ');
}

/** "0.8 s", "12.5 min", "2 h": an estimate or a run's wall time. */
export function formatDuration(seconds: number): string {
    if (seconds >= 3600) return `${oneDecimal(seconds / 3600)} h`;
    if (seconds >= 60) return `${oneDecimal(seconds / 60)} min`;
    return `${oneDecimal(seconds)} s`;
}

/** Compact text of indices: 0-5 or 1,4,7-9 (also the form of Slurm's --array). */
export function formatPointRanges(indices: number[]): string {
    const sorted = [...new Set(indices)].sort((a, b) => a - b);
    const parts: string[] = [];
    for (let k = 0; k < sorted.length; k++) {
        const start = sorted[k];
        while (k + 1 < sorted.length && sorted[k + 1] === sorted[k] + 1) k++;
        parts.push(start === sorted[k] ? `${start}` : `${start}-${sorted[k]}`);
    }
    return parts.join(',');
}
