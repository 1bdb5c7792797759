// Typed send/handle of the protocol's custom messages by method name: protocol.ts's message types come from the top-level
// vscode-languageserver-protocol, whose vscode-jsonrpc differs from the one vscode-languageserver bundles (nominal types clash).
import type { Connection } from 'vscode-languageserver';
import type { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export function sendNotification<P>(connection: Connection | undefined, type: NotificationType<P>, params: P): void {
    void connection?.sendNotification(type.method, params).catch(() => undefined);
}

export function onNotification<P>(connection: Connection, type: NotificationType<P>, handler: (params: P) => void): void {
    connection.onNotification(type.method, (params: P) => handler(params));
}

export function onRequest<P, R>(connection: Connection, type: RequestType<P, R, void>, handler: (params: P) => R | Promise<R>): void {
    connection.onRequest(type.method, async (params: P): Promise<unknown> => handler(params));
}
