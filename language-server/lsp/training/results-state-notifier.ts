// Tells the client when an experiment's results turn stale or fresh (emn/resultsState), so the results view follows the lens live.
import { DocumentState, type LangiumDocument } from 'langium';
import { ignore } from '../../../engine/view.js';
import type { EmnServices } from '../../emn-module.js';
import { ResultsStateNotification, type ResultsState } from '../../protocol.js';
import { experimentsOf } from './experiments-of.js';
import { normalizeUri } from '../../../engine/view.js';

/**
 * Registered once per language: after every validation of a document (each edit, undo, save, and the re-validation
 * that follows a run) it computes the state the CodeLens shows and sends it when it differs from the last one sent.
 */
export function registerResultsStateNotifier(services: EmnServices): void {
    const training = services.training.TrainingService;
    const shared = services.shared;
    const lastSent = new Map<string, string>();
    shared.workspace.DocumentBuilder.onBuildPhase(DocumentState.Validated, async documents => {
        const connection = shared.lsp.Connection;
        if (!connection) return;
        for (const document of documents) {
            if (document.uri.scheme !== 'file') continue;
            const experiments = await resultsStates(training, document);
            const key = normalizeUri(document.uri.toString());
            const text = JSON.stringify(experiments);
            if (lastSent.get(key) === text) continue;
            lastSent.set(key, text);
            connection.sendNotification(ResultsStateNotification, { uri: document.uri.toString(), experiments }).catch(ignore);
        }
    });
}

async function resultsStates(training: EmnServices['training']['TrainingService'], document: LangiumDocument): Promise<ResultsState[]> {
    const states: ResultsState[] = [];
    for (const node of experimentsOf(document)) {
        const stored = await training.storedResults(document, node);
        states.push({ experiment: node.name, hasResult: stored.result !== undefined, stale: stored.stale });
    }
    return states;
}
