// Which experiments a document offers: shared by the training services and the providers.
import type { LangiumDocument } from 'langium';
import { isExperiment, type Experiment, type Spec } from '../../generated/ast.js';

export function experimentsOf(document: LangiumDocument): Experiment[] {
    // a half-typed `experiment {` parses without a name: nothing to train or show for it yet
    return (
        (document.parseResult.value as Spec).declarations
            ?.filter(isExperiment)
            .filter(e => typeof e.name === 'string' && e.name.length > 0) ?? []
    );
}
