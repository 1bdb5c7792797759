// Which experiments a document offers and how an error reads: shared by the training services and the providers
// (what names a run is ../../run-key.ts, shared with the extension).
import type { LangiumDocument } from 'langium';
import { isExperiment, type Experiment, type Spec } from '../../generated/ast.js';

export function experimentsOf(document: LangiumDocument): Experiment[] {
    // a half-typed `experiment {` parses without a name: nothing to train or show for it yet
    return (document.parseResult.value as Spec).declarations?.filter(isExperiment).filter(e => typeof e.name === 'string' && e.name.length > 0) ?? [];
}

export function errorMessage(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
