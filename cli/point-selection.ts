// Which sweep points `emn train --point` trains: K, K1,K2, K1-K2 (mixed: 0-3,7), or the array index of a scheduler's environment.

/** Array index variables, in the order they are read: Slurm, Kubernetes Indexed Jobs, AWS Batch. */
const ARRAY_INDEX_VARIABLES = ['SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const;

/** The indices of a selection text, or why it is not one. Bounds are checked later, against the sweep. */
export function parsePointSelection(text: string): number[] | string {
    const indices = new Set<number>();
    for (const part of text.split(',')) {
        const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
        if (!m) return `--point takes K, K1,K2 or K1-K2 (0-based point numbers); got '${text}'`;
        const from = Number(m[1]);
        const to = m[2] === undefined ? from : Number(m[2]);
        if (to < from) return `--point: the range ${from}-${to} is empty (write the smaller number first)`;
        if (to - from > 1_000_000) return `--point: the range ${from}-${to} is too large`;
        for (let k = from; k <= to; k++) indices.add(k);
    }
    return [...indices].sort((a, b) => a - b);
}

/** The point index of this array task from the environment, or why there is none. */
export function pointFromEnv(env: NodeJS.ProcessEnv = process.env): { indices: number[]; variable: string } | string {
    for (const variable of ARRAY_INDEX_VARIABLES) {
        const value = env[variable];
        if (value === undefined || value === '') continue;
        if (!/^\d+$/.test(value.trim())) return `--point-from-env: ${variable} is '${value}', not a point number`;
        return { indices: [Number(value.trim())], variable };
    }
    return `--point-from-env: none of ${ARRAY_INDEX_VARIABLES.join(', ')} is set (is this running as an array task?)`;
}
