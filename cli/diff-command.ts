// `emn diff SPEC EXP[@RUN] [SPEC2] EXP2[@RUN]`: what differs between two runs, as text, Markdown or JSON.
import { resolve } from 'node:path';
import { compileExperimentPlan, listRuns, loadComparedRun, ResultsStore } from '../engine/index.js';
import {
    type ComparedRun,
    compareRuns,
    describeChange,
    markdownTable,
    num,
    planSettings,
    quotientText,
    type RunComparison,
    textTable,
} from '../engine/view.js';
import { loadExperiment, notAResultsFolder, undeclaredExperiment } from './load-experiment.js';

export interface DiffArgs {
    positionals: string[];
    json?: boolean;
    md?: boolean;
    out?: string;
}

const failAs = (command: string) => (message: string) => {
    process.stderr.write(`${command}: ${message}\nrun '${command} --help' for options and exit codes\n`);
    return 1;
};
const fail = failAs('emn diff');

/** One side: `EXP@RUN` from the history, or `EXP` (the experiment's result file, with the settings it was trained with). */
export async function loadSide(
    store: ResultsStore,
    specPath: string,
    ref: string,
    showFile: boolean,
    command = 'emn diff',
): Promise<ComparedRun | number> {
    const at = ref.lastIndexOf('@');
    const experiment = at >= 0 ? ref.slice(0, at) : ref;
    // loadExperiment says itself why a spec cannot load; its exit code is the command's
    let specFailed: number | undefined;
    const side = await loadComparedRun(store, specPath, experiment, at >= 0 ? ref.slice(at + 1) : undefined, showFile, async () => {
        const spec = await loadExperiment(command, specPath, experiment);
        if (typeof spec === 'number') {
            specFailed = spec;
            return 'the spec cannot be loaded';
        }
        const plan = compileExperimentPlan(spec);
        return { settings: planSettings(plan), planHash: plan.hash };
    });
    if (specFailed !== undefined) return specFailed;
    if (typeof side === 'string') {
        // nothing kept of it: a missing spec or a misspelt name says so, rather than "train it first"
        const undeclared =
            listRuns(store, specPath, experiment).length === 0 ? await undeclaredExperiment(specPath, experiment) : undefined;
        return failAs(command)(
            undeclared ?? side.replace('(train it first)', `(train it first: emn train ${specPath} --experiment ${experiment})`),
        );
    }
    return side;
}

export async function runDiffCommand(args: DiffArgs): Promise<number> {
    const p = args.positionals;
    if (args.json && args.md) return fail('give --json or --md, not both');
    const badOut = notAResultsFolder(args.out);
    if (badOut) return fail(badOut);
    const [specA, refA] = [p[0], p[1]];
    const [specB, refB] = p.length === 4 ? [p[2], p[3]] : [p[0], p[2]];
    const store = new ResultsStore(args.out ? resolve(args.out) : undefined);
    const showFile = resolve(specA) !== resolve(specB);
    const a = await loadSide(store, specA, refA, showFile);
    if (typeof a === 'number') return a;
    const b = await loadSide(store, specB, refB, showFile);
    if (typeof b === 'number') return b;
    const comparison = compareRuns(a, b);
    if (args.json) process.stdout.write(JSON.stringify(comparisonJson(comparison), null, 2) + '\n');
    else process.stdout.write((args.md ? comparisonMarkdown(comparison) : comparisonText(comparison)) + '\n');
    return 0;
}

/** The JSON form: difference tensors as their summary numbers (their values are many; a report draws them). */
function comparisonJson(c: RunComparison): unknown {
    const summary = ({ difference: _d, ...rest }: RunComparison['weights'][number]) => {
        void _d;
        return rest;
    };
    return { ...c, weights: c.weights.map(summary), ...(c.pathWeights ? { pathWeights: summary(c.pathWeights) } : {}) };
}

/** A metric's value; the memorisation quotient says '–' where it is null (both mse at the float floor). */
const metricText = (metric: string, x: number | null | undefined) => (metric === 'memorisationQuotient' ? quotientText(x) : num(x));

const ratioText = (x?: number) => (x === undefined ? '' : `x${num(x)}`);

function sections(c: RunComparison): { title: string; header: string[]; rows: string[][]; note?: string }[] {
    const out = [];
    out.push({
        title: 'Settings that differ',
        header: ['setting', 'A', 'B'],
        rows: c.settings.map(s => [s.setting, s.before ?? '(none)', s.after ?? '(none)']),
        note:
            c.settings.length === 0
                ? c.samePlan
                    ? 'none: the same plan (only the run differs)'
                    : 'none in the settings the spec states'
                : undefined,
    });
    out.push({
        title: 'Metrics',
        header: ['metric', 'A', 'B', 'B / A'],
        rows: c.metrics.map(m => [m.label, metricText(m.metric, m.a), metricText(m.metric, m.b), ratioText(m.ratio)]),
    });
    if (c.points.length > 0 || c.pointsNote) {
        out.push({
            title: `Sweep points (${c.pointsMetric})`,
            header: ['point', 'A', 'B'],
            rows: c.points.map(p => [p.point, num(p.a), num(p.b)]),
            note: c.pointsNote,
        });
    }
    const tensors = [...(c.pathWeights ? [{ ...c.pathWeights, name: 'E (path weights)' }] : []), ...c.weights];
    out.push({
        title: 'Weights (B - A)',
        header: ['tensor', 'shape', 'max |diff|', 'mean |diff|', '||diff|| / ||A||'],
        rows: tensors.map(t => [t.name, t.shape.join('x'), num(t.maxAbs), num(t.meanAbs), num(t.relative)]),
        note: c.weightsNote,
    });
    return out;
}

function sideLine(name: string, s: RunComparison['a']): string {
    return (
        `${name}: ${s.label}, trained ${s.finishedAt.slice(0, 16).replace('T', ' ')} UTC on ${s.backend}, plan ${s.planHash.slice(0, 12)}` +
        (s.settingsNote ? ` (${s.settingsNote})` : '')
    );
}

function comparisonText(c: RunComparison): string {
    const lines = [sideLine('A', c.a), sideLine('B', c.b)];
    if (c.settings.length > 0) lines.push(`changed: ${c.settings.map(describeChange).join(', ')}`);
    for (const s of sections(c)) {
        lines.push('', `${s.title}:`);
        if (s.rows.length > 0) lines.push(...textTable(s.header, s.rows).map(l => '  ' + l));
        if (s.note) lines.push(`  ${s.note}`);
    }
    return lines.join('\n');
}

export function comparisonMarkdown(c: RunComparison, level = '#'): string {
    const lines = [`${level} ${c.b.label} compared with ${c.a.label}`, '', `- ${sideLine('A', c.a)}`, `- ${sideLine('B', c.b)}`];
    if (c.settings.length > 0) lines.push(`- changed: ${c.settings.map(describeChange).join(', ')}`);
    for (const s of sections(c)) {
        lines.push('', `${level}# ${s.title}`, '');
        if (s.rows.length > 0) lines.push(...markdownTable(s.header, s.rows));
        if (s.note) lines.push('', s.note);
    }
    return lines.join('\n');
}
