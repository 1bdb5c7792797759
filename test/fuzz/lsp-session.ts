// A real LSP client over the server's stdio (vscode-languageserver-protocol), with diagnostics waited on per document.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
    createProtocolConnection, StreamMessageReader, StreamMessageWriter,
    LogMessageNotification, PublishDiagnosticsNotification, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { ROOT } from './corpus.js';

export class LspSession {
    readonly child: ChildProcess;
    readonly connection: ProtocolConnection;
    /** Everything the server wrote to stderr (shown with a failure; Langium logs recoverable problems there too). */
    stderr = '';
    /** window/logMessage text: the server's console.error (e.g. a validator's stack trace) arrives here, not on stderr. */
    log = '';
    /** Set when the process ends: the fuzz run fails with it. */
    exit: { code: number | null; signal: string | null } | undefined;
    private readonly waiters: ((p: PublishDiagnosticsParams) => void)[] = [];
    private readonly exitWaiters: (() => void)[] = [];

    constructor() {
        this.child = spawn(process.execPath, [join(ROOT, 'dist', 'language-server.cjs'), '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
        this.child.stderr!.setEncoding('utf8').on('data', (s: string) => { this.stderr = (this.stderr + s).slice(-200_000); });
        this.child.on('exit', (code, signal) => {
            this.exit = { code, signal };
            for (const w of this.exitWaiters.splice(0)) w();
        });
        // EPIPE after a crash would otherwise be an unhandled error in the test process
        this.child.stdin!.on('error', () => undefined);
        this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
        this.connection.onNotification(PublishDiagnosticsNotification.type, p => {
            const w = this.waiters.shift();
            if (w) w(p);
        });
        this.connection.onNotification(LogMessageNotification.type, p => { this.log = (this.log + p.message + '\n').slice(-200_000); });
        // requests from the server (none are expected: the client declares no dynamic registration, configuration or
        // progress support) get jsonrpc's MethodNotFound reply, which the server must tolerate anyway
        this.connection.onError(() => undefined);
        this.connection.listen();
    }

    /** The next publishDiagnostics, or an error when the server exits or `ms` passes first. */
    nextDiagnostics(ms: number): Promise<PublishDiagnosticsParams> {
        return this.race(new Promise(resolve => this.waiters.push(resolve)), ms, 'publishDiagnostics', () => {
            this.waiters.length = 0;
        });
    }

    /** Resolves with `promise`, or rejects on server exit or after `ms` (a generous ceiling, not a sleep). */
    race<T>(promise: Promise<T>, ms: number, what: string, onGiveUp: () => void = () => undefined): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            const onExit = () => { onGiveUp(); done(() => reject(new Error(`server exited during ${what} (${JSON.stringify(this.exit)})`))); };
            const done = (f: () => void) => {
                clearTimeout(timer);
                const i = this.exitWaiters.indexOf(onExit);
                if (i >= 0) this.exitWaiters.splice(i, 1);
                f();
            };
            const timer = setTimeout(() => done(() => { onGiveUp(); reject(new Error(`no ${what} within ${ms} ms`)); }), ms);
            if (this.exit) { onExit(); return; }
            this.exitWaiters.push(onExit);
            promise.then(v => done(() => resolve(v)), (e: unknown) => done(() => reject(e instanceof Error ? e : new Error(String(e)))));
        });
    }

    dispose(): void {
        this.connection.dispose();
        if (this.child.pid !== undefined && this.exit === undefined) process.kill(this.child.pid);
    }
}
