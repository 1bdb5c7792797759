// The shape of a stored result, checked as it is read: a hand-edited or foreign file is refused with the field that is
// wrong ("runs[2].metrics.mse is "abc", not a number"), so the lens, hover, views, diff and report never meet it.

/*
 * Rules (ours):
 * - The fields every version-1 file has are required: experiment, planHash, stopped, backend, metrics.
 * - Every other field is optional (version 1 files lack later ones), but when present it must have its type: numbers
 *   are numbers (null stands for NaN, which JSON cannot write), lists are lists, a weight tensor's values fill its shape.
 * - Fields this version does not know are left alone (a later version adds optional fields only).
 */

type Json = Record<string, unknown>;

const STOP_REASONS = ['steps', 'target', 'diverged', 'cancelled'];

/** `value` as the message says it: short, in JSON. */
function shown(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function fail(at: string, value: unknown, what: string): never {
    throw new Error(value === undefined ? `${at} is missing` : `${at} is ${shown(value)}, not ${what}`);
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(r: Json, key: string, at: string, required = false): Json | undefined {
    const v = r[key];
    if (v === undefined && !required) return undefined;
    if (!isObject(v)) fail(`${at}${key}`, v, 'an object');
    return v;
}

function list(r: Json, key: string, at: string): unknown[] | undefined {
    const v = r[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) fail(`${at}${key}`, v, 'a list');
    return v as unknown[];
}

/** A number, or null (NaN as JSON writes it). */
function number(r: Json, key: string, at: string, required = false): void {
    const v = r[key];
    if (v === undefined && !required) return;
    if (v !== null && typeof v !== 'number') fail(`${at}${key}`, v, 'a number');
}

function text(r: Json, key: string, at: string, required = false): void {
    const v = r[key];
    if (v === undefined && !required) return;
    if (typeof v !== 'string') fail(`${at}${key}`, v, 'a text');
}

function metrics(r: Json, at: string): void {
    const m = object(r, 'metrics', at, true)!;
    for (const key of ['mse', 'rmse', 'maxAbsError', 'relError']) number(m, key, `${at}metrics.`, key === 'mse');
    for (const key of ['pathWeightError', 'pathWeightLeak']) number(m, key, `${at}metrics.`);
}

/** A decoded weight tensor: its values fill its shape. */
function tensor(t: unknown, at: string): void {
    if (!isObject(t)) fail(at, t, 'a weight tensor');
    text(t, 'name', `${at}.`, true);
    const shape = t.shape;
    if (!Array.isArray(shape) || !shape.every(d => Number.isInteger(d) && (d as number) >= 0))
        fail(`${at}.shape`, shape, 'a list of sizes');
    const values = t.values;
    if (!Array.isArray(values)) fail(`${at}.values`, values, 'a list of numbers');
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (values.length !== size)
        throw new Error(`${at} has shape [${(shape as number[]).join(', ')}] (${size} values) but ${values.length} values`);
    const bad = values.findIndex(v => v !== null && typeof v !== 'number');
    if (bad >= 0) fail(`${at}.values[${bad}]`, values[bad], 'a number');
}

/** What a result and a sweep point share: metrics, steps, loss curve, evaluations, weights. */
function runShape(r: Json, at: string): void {
    metrics(r, at);
    if (r.stopped !== undefined && !STOP_REASONS.includes(r.stopped as string))
        fail(`${at}stopped`, r.stopped, `one of ${STOP_REASONS.join(', ')}`);
    for (const key of ['steps', 'wallMs', 'stepsPerSecond', 'pathWeightTarget']) number(r, key, at);
    list(r, 'lossCurve', at)?.forEach((p, k) => {
        if (!Array.isArray(p) || p.length !== 2 || !p.every(v => v === null || typeof v === 'number'))
            fail(`${at}lossCurve[${k}]`, p, 'a [step, loss] pair');
    });
    list(r, 'evaluations', at)?.forEach((e, k) => {
        if (!isObject(e)) fail(`${at}evaluations[${k}]`, e, 'an evaluation');
        for (const key of ['samples', 'mse', 'maxAbsError', 'relError']) number(e, key, `${at}evaluations[${k}].`);
    });
    list(r, 'weights', at)?.forEach((t, k) => tensor(t, `${at}weights[${k}]`));
    if (r.pathWeights !== undefined) tensor(r.pathWeights, `${at}pathWeights`);
}

/** Checks a decoded sweep point (weights as numbers); throws naming the first wrong field under `at` ("runs[2]."). */
export function checkPointShape(p: Json, at = ''): void {
    object(p, 'params', at);
    runShape(p, at);
}

/** Checks a decoded result (weights as numbers); throws naming the first wrong field. */
export function checkResultShape(r: Json): void {
    for (const key of ['experiment', 'planHash', 'backend']) text(r, key, '', true);
    if (!STOP_REASONS.includes(r.stopped as string)) fail('stopped', r.stopped, `one of ${STOP_REASONS.join(', ')}`);
    for (const key of ['startedAt', 'finishedAt', 'operation', 'network', 'verdict']) text(r, key, '');
    runShape(r, '');
    list(r, 'runs', '')?.forEach((p, k) => {
        if (!isObject(p)) fail(`runs[${k}]`, p, 'a sweep point');
        checkPointShape(p, `runs[${k}].`);
    });
}
