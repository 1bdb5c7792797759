// Starts the .emn language server on the connection given by the process arguments (--stdio, --node-ipc, ...).
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createEmnServices } from './emn-module.js';

export function startEmnLanguageServer(): void {
    const connection = createConnection(ProposedFeatures.all);
    const { shared } = createEmnServices({ connection, ...NodeFileSystem });
    startLanguageServer(shared);
}
