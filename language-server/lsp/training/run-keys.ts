// What names a run and which experiments a document offers: shared by the training services and the providers.
import { URI, type LangiumDocument } from 'langium';
import { isExperiment, type Experiment, type Spec } from '../../generated/ast.js';

export function runKey(uri: string, experiment: string): string {
    return `${normalizeUri(uri)}#${experiment}`;
}

/** Clients spell the same file URI differently (drive letters, escapes): compare Langium's form. */
export function normalizeUri(uri: string): string {
    return URI.parse(uri).toString();
}

export function experimentsOf(document: LangiumDocument): Experiment[] {
    // a half-typed `experiment {` parses without a name: nothing to train or show for it yet
    return (document.parseResult.value as Spec).declarations?.filter(isExperiment).filter(e => typeof e.name === 'string' && e.name.length > 0) ?? [];
}

export function errorMessage(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
