// Loads the experiments of a spec file for the train, point, sweep and diff commands: diagnostics on stderr, the resolved specs, or an exit
// code.
import { statSync } from 'node:fs';
import type { LangiumDocument } from 'langium';
import { isExperiment, type Spec } from '../language-server/generated/ast.js';
import { resolveExperiment } from '../language-server/resolve-spec.js';
import type { ExperimentSpec } from '../engine/view.js';
import { DiagnosticCodes } from '../language-server/validation/diagnostic-codes.js';
import type { Diagnostic } from 'vscode-languageserver';
import { printDiagnostics } from './check-command.js';
import { loadSpecs } from './load-specs.js';

export interface LoadedExperiments {
    /** The experiment named, or every experiment of the file without a name; in file order. */
    chosen: ExperimentSpec[];
    /** Every experiment of the file that resolves (e.g. to calibrate a time estimate on their results). */
    all: ExperimentSpec[];
}

/**
 * The experiments of `file` (the one called `name`, or all), resolved; or the exit code (1: spec errors, here or in an
 * imported file, or no such experiment) after saying why on stderr. `nothing` ends the messages ("nothing was trained").
 * `tooBigIsFine`: an experiment too big to train is loaded all the same (its error is printed).
 */
export async function loadExperiments(
    command: string,
    file: string,
    name: string | undefined,
    nothing = 'nothing was done',
    { tooBigIsFine = false } = {},
): Promise<LoadedExperiments | number> {
    const loaded = await loadSpecs([file]);
    // `--plan` of a spec too big to train still shows its plan (the memory it would need is the point)
    const blocks = (d: Diagnostic) => !tooBigIsFine || (d.data as { code?: string } | undefined)?.code !== DiagnosticCodes.TooBigToTrain;
    const errors = printDiagnostics(loaded, line => process.stderr.write(line + '\n'), blocks);
    if (errors > 0 || loaded.documents.length === 0) {
        process.stderr.write(`${command}: ${file} or a file it imports has errors; ${nothing}\n`);
        return 1;
    }
    const doc = loaded.documents[0].document as LangiumDocument<Spec>;
    const declared = doc.parseResult.value.declarations.filter(isExperiment);
    const chosen = name !== undefined ? declared.filter(e => e.name === name) : declared;
    if (chosen.length === 0) {
        process.stderr.write(
            `${command}: ${
                name !== undefined
                    ? noSuchExperiment(
                          file,
                          name,
                          declared.map(e => e.name),
                      )
                    : `${file} declares no experiment`
            }\n`,
        );
        return 1;
    }
    const specs: ExperimentSpec[] = [];
    for (const e of chosen) {
        const spec = resolveExperiment(e);
        if (!spec) {
            process.stderr.write(`${command}: experiment ${e.name} cannot be resolved (missing learn)\n`);
            return 1;
        }
        specs.push(spec);
    }
    return { chosen: specs, all: declared.map(resolveExperiment).filter((s): s is ExperimentSpec => s !== undefined) };
}

/** "no experiment Nope in paper.emn; experiments: Paper": a name the file does not declare. */
function noSuchExperiment(file: string, name: string, declared: string[]): string {
    return `no experiment ${name} in ${file}; experiments: ${declared.join(', ') || 'none'}`;
}

/**
 * Why `file` cannot have results of `name`: it cannot be read, or it declares no experiment of that name; undefined
 * when it does. Diagnostics are not the point here (a comparison reads stored runs, not the spec), so none are printed.
 */
export async function undeclaredExperiment(file: string, name: string): Promise<string | undefined> {
    const loaded = await loadSpecs([file]);
    if (loaded.unreadable.length > 0) return `cannot read ${file}: ${loaded.unreadable[0].reason}`;
    const declared = (loaded.documents[0].document as LangiumDocument<Spec>).parseResult.value.declarations
        .filter(isExperiment)
        .map(e => e.name);
    return declared.includes(name) ? undefined : noSuchExperiment(file, name, declared);
}

/** One named experiment without errors (so one that fits in memory), or the exit code after saying why on stderr. */
export async function loadExperiment(command: string, file: string, name: string): Promise<ExperimentSpec | number> {
    const loaded = await loadExperiments(command, file, name);
    return typeof loaded === 'number' ? loaded : loaded.chosen[0];
}

/** Why `--out` cannot be the results folder to read from (it names a file), or undefined (a folder, or nothing there yet). */
export function notAResultsFolder(out: string | undefined): string | undefined {
    if (out === undefined) return undefined;
    try {
        return statSync(out).isDirectory() ? undefined : `--out ${out} is a file, not a folder of results`;
    } catch {
        return undefined;
    }
}
