// Loads one named experiment of a spec file for the point and sweep commands: diagnostics on stderr, the resolved spec, or an exit code.
import type { LangiumDocument } from 'langium';
import { isExperiment, type Spec } from '../language-server/generated/ast.js';
import { resolveExperiment } from '../language-server/spec/resolve-spec.js';
import type { ExperimentSpec } from '../language-server/spec/spec-types.js';
import { memoryRefusal } from '../language-server/validation/training-limits.js';
import { printDiagnostics } from './check-command.js';
import { loadSpecs } from './load-specs.js';

/** The experiment's spec, or the exit code (1: spec errors or no such experiment) after saying why on stderr. */
export async function loadExperiment(command: string, file: string, name: string): Promise<ExperimentSpec | number> {
    const loaded = await loadSpecs([file]);
    const errors = printDiagnostics(loaded, line => process.stderr.write(line + '\n'));
    if (errors > 0 || loaded.documents.length === 0) {
        process.stderr.write(`${command}: ${file} or a file it imports has errors; nothing was done\n`);
        return 1;
    }
    const doc = loaded.documents[0].document as LangiumDocument<Spec>;
    const all = doc.parseResult.value.declarations.filter(isExperiment);
    const chosen = all.find(e => e.name === name);
    if (!chosen) {
        process.stderr.write(`${command}: no experiment ${name} in ${file}; experiments: ${all.map(e => e.name).join(', ') || 'none'}\n`);
        return 1;
    }
    const spec = resolveExperiment(chosen);
    if (!spec) {
        process.stderr.write(`${command}: experiment ${name} cannot be resolved (missing learn)\n`);
        return 1;
    }
    const tooBig = memoryRefusal(spec);
    if (tooBig) {
        process.stderr.write(`${command}: ${spec.name} cannot train: ${tooBig}; nothing was done\n`);
        return 1;
    }
    return spec;
}
