// Starts the .emn language server on the connection given by the process arguments (--stdio, --node-ipc, ...).
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createEmnServices, type EmnModuleOverride } from './emn-module.js';
import { registerTrainingRequests } from './lsp/training/training-requests.js';
import { registerDebugMemoryRequest } from './lsp/debug-memory.js';

/** `override` replaces language services (a test's server swaps the TrainingEngine). */
export function startEmnLanguageServer(override?: EmnModuleOverride): void {
    const connection = createConnection(ProposedFeatures.all);
    const { shared, Emn } = createEmnServices({ connection, ...NodeFileSystem }, override);
    registerTrainingRequests(connection, Emn);
    registerDebugMemoryRequest(connection);
    startLanguageServer(shared);
}
