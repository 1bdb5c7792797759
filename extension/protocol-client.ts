// Typed wrappers that send the shared protocol's messages by method name.
// Why: language-server/protocol.ts builds its message types from the root vscode-languageserver-protocol
// (vscode-jsonrpc 10), the client bundles its own copy (vscode-jsonrpc 9); jsonrpc compares
// ParameterStructures by identity, so a foreign type object fails at run time ("Unknown parameter structure").
import type { Disposable } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export function sendRequest<P, R>(client: LanguageClient, type: RequestType<P, R, void>, params: P, token?: import('vscode').CancellationToken): Promise<R> {
    return client.sendRequest<R>(type.method, params, token);
}

export function sendNotification<P>(client: LanguageClient, type: NotificationType<P>, params: P): Promise<void> {
    return client.sendNotification(type.method, params);
}

export function onNotification<P>(client: LanguageClient, type: NotificationType<P>, handler: (params: P) => void): Disposable {
    return client.onNotification(type.method, (params: unknown) => handler(params as P));
}
