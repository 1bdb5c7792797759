// `emn report SPEC --experiment E [--compare EXP2[@RUN]] --md|--csv [--notebook]`: a result or a comparison for papers
// and notebooks: tables, figures as SVG and PNG (engine/figures, the results view's own), a Jupyter notebook.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compareRuns } from '../engine/view.js';
import { findRun, ResultsStore, sanitizeName } from '../engine/index.js';
import { comparisonMarkdown, loadSide } from './diff-command.js';
import { pngUnavailable, writeFigure } from './figure-files.js';
import { notAResultsFolder } from './load-experiment.js';
import { comparisonFigures, resultFigures, type NamedFigure } from './report-figure-list.js';
import { reportNotebook } from './report-notebook.js';
import { resultCsv, resultMarkdown, seedSpreadCsv } from './report-tables.js';

export interface ReportArgs {
    file: string;
    experiment: string;
    compare?: string;
    md?: boolean;
    csv?: boolean;
    notebook?: boolean;
    to?: string;
    out?: string;
}

const fail = (message: string) => {
    process.stderr.write(`emn report: ${message}\nrun 'emn report --help' for options and exit codes\n`);
    return 1;
};

/** The results JSON a report is of: the experiment's result file, or its history run file for EXP@RUN. */
function resultsFileOf(store: ResultsStore, file: string, ref: string): string | undefined {
    const at = ref.lastIndexOf('@');
    if (at < 0) return store.resultPath(file, ref);
    const entry = findRun(store, file, ref.slice(0, at), ref.slice(at + 1));
    return typeof entry === 'string' ? undefined : entry.path;
}

export async function runReportCommand(args: ReportArgs): Promise<number> {
    if (!args.md && !args.csv && !args.notebook)
        return fail('give --md (Markdown report), --csv (one row per point) or --notebook (Jupyter), or several');
    if (args.notebook && args.compare !== undefined) return fail('--notebook reports one experiment: leave out --compare');
    const badOut = notAResultsFolder(args.out);
    if (badOut) return fail(badOut);
    const store = new ResultsStore(args.out ? resolve(args.out) : undefined);
    const folder = resolve(args.to ?? join(store.folder(args.file), `${sanitizeName(args.experiment)}.report`));
    const a = await loadSide(store, args.file, args.experiment, false, 'emn report');
    if (typeof a === 'number') return a;
    // both sides before the folder: a comparison that cannot be made leaves nothing behind
    const b = args.compare !== undefined ? await loadSide(store, args.file, args.compare, false, 'emn report') : undefined;
    if (typeof b === 'number') return b;
    mkdirSync(folder, { recursive: true });
    const written: string[] = [];
    const write = (name: string, text: string) => {
        writeFileSync(join(folder, name), text);
        written.push(join(folder, name));
    };
    const base = sanitizeName(args.experiment.replace('@', '-'));
    const drawFigures = async (figures: NamedFigure[]) => {
        for (const f of figures) written.push(...(await writeFigure(folder, f.name, f.spec)));
        return figures.map(f => ({ file: `${f.name}.svg`, title: f.title }));
    };
    const notes = [pngUnavailable()].filter((n): n is string => n !== undefined);
    if (b) {
        const c = compareRuns(a, b);
        const figures = await drawFigures(comparisonFigures(c, base));
        if (args.md) {
            write(
                `${base}-compare.md`,
                comparisonMarkdown(c) +
                    `\n\n## Figures\n\n${figures.map(f => `### ${f.title}\n\n![${f.title}](${f.file})\n`).join('\n')}` +
                    notes.map(n => `\nNote: ${n}\n`).join(''),
            );
        }
        if (args.csv)
            write(`${base}-compare.csv`, ['metric,A,B', ...c.metrics.map(m => `${m.metric},${m.a ?? ''},${m.b ?? ''}`)].join('\n') + '\n');
    } else {
        const r = a.result;
        const figures = await drawFigures(resultFigures(r, base));
        if (args.md) write(`${base}.md`, resultMarkdown(r, figures, notes));
        if (args.csv) {
            write(`${base}.csv`, resultCsv(r));
            const spread = seedSpreadCsv(r);
            if (spread) write(`${base}-seeds.csv`, spread);
        }
        if (args.notebook) {
            const results = resultsFileOf(store, args.file, args.experiment);
            if (results) write(`${base}.ipynb`, reportNotebook(r.experiment, relative(folder, results)));
        }
    }
    for (const n of notes) process.stderr.write(`emn report: ${n}\n`);
    process.stdout.write(written.map(w => `wrote ${w}\n`).join(''));
    return 0;
}
