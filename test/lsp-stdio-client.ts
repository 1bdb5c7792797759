// The one LSP client over a language server's stdio (vscode-languageserver-protocol's node streams): spawns the server, records what it
// sends, waits on it. Used by the protocol tests, the fuzz run and bench/lsp-latency.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
    createProtocolConnection,
    StreamMessageReader,
    StreamMessageWriter,
    type InitializeParams,
    type InitializeResult,
    type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

/** A notification or request the server sent, with when it arrived (performance.now()). */
export interface Recorded {
    method: string;
    params: any;
    time: number;
}

export interface ServerProcess {
    /** The server's script (an absolute path) and its arguments, run by this Node. */
    script: string;
    args: string[];
    /** Node's own options before the script (e.g. V8 flags of a soak run). */
    execArgv?: string[];
    cwd?: string;
    /** Extra environment of the server process. */
    env?: Record<string, string>;
    /** Answered to each item of workspace/configuration; undefined answers null (the client declares no configuration capability then). */
    settings?: unknown;
}

interface StarHandlers {
    onNotification(handler: (method: string, params: unknown) => void): void;
    onRequest(handler: (method: string, params: unknown) => unknown): void;
}

interface Waiter {
    match: (m: Recorded) => boolean;
    /** Index of the next recorded message this waiter has not looked at. */
    next: number;
    found: (m: Recorded) => void;
}

/** How much of the server's stderr is kept (shown with a failure). */
const STDERR_KEPT = 200_000;

export class LspStdioClient {
    /** The server process and its connection exist from launch() on. */
    child!: ChildProcess;
    connection!: ProtocolConnection;
    /** The server's exit code, once it exits. */
    exitCode!: Promise<number | null>;
    /** Set when the server process ends. */
    exit: { code: number | null; signal: string | null } | undefined;
    /** Everything the server sent, in order; forget() empties it (a long fuzz run). */
    readonly messages: Recorded[] = [];
    /** The tail of what the server wrote to stderr. */
    stderr = '';
    private readonly waiters: Waiter[] = [];
    private readonly exitWaiters: (() => void)[] = [];
    private readonly versions = new Map<string, number>();

    /** Spawns the server and listens on its stdout. */
    launch(server: ServerProcess): void {
        this.child = spawn(process.execPath, [...(server.execArgv ?? []), server.script, ...server.args], {
            cwd: server.cwd,
            stdio: ['pipe', 'pipe', 'pipe'],
            env: { ...process.env, ...server.env },
        });
        this.child.stderr!.setEncoding('utf8').on('data', (s: string) => {
            this.stderr = (this.stderr + s).slice(-STDERR_KEPT);
        });
        this.exitCode = new Promise(resolve =>
            this.child.on('exit', (code, signal) => {
                this.exit = { code, signal };
                for (const w of this.exitWaiters.splice(0)) w();
                resolve(code);
            }),
        );
        // EPIPE after a crash would otherwise be an unhandled error in the client's process
        this.child.stdin!.on('error', () => undefined);
        this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
        // star handlers (every method) exist at runtime; the protocol connection's typings omit them
        const star = this.connection as unknown as StarHandlers;
        star.onNotification((method, params) => this.record(method, params));
        star.onRequest((method, params: any) => {
            this.record(method, params);
            if (method === 'workspace/configuration') return params.items.map(() => server.settings ?? null);
            return null;
        });
        this.connection.onError(() => undefined);
        this.connection.listen();
    }

    get pid(): number | undefined {
        return this.child?.pid;
    }

    private record(method: string, params: unknown): void {
        const m = { method, params, time: performance.now() };
        this.messages.push(m);
        for (const w of [...this.waiters]) this.check(w);
    }

    private check(w: Waiter): void {
        for (; w.next < this.messages.length; w.next++) {
            if (!w.match(this.messages[w.next])) continue;
            this.stopWaiting(w);
            w.found(this.messages[w.next]);
            return;
        }
    }

    private stopWaiting(w: Waiter): void {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
    }

    /** Drops the recorded messages (indices taken before are void); waiters still pending keep waiting on new ones. */
    forget(): void {
        this.messages.length = 0;
        for (const w of this.waiters) w.next = 0;
    }

    /**
     * Resolves with the first recorded message (from index `from`) that satisfies `match`; rejects when the server
     * exits or after `ms` (a ceiling against hangs, not a sleep: the wait ends on the message).
     */
    waitFor(match: (m: Recorded) => boolean, ms = 60_000, from = 0, what = 'message'): Promise<Recorded> {
        let waiter: Waiter | undefined;
        const found = new Promise<Recorded>(resolve => {
            waiter = { match, next: from, found: resolve };
        });
        this.waiters.push(waiter!);
        this.check(waiter!);
        return this.race(
            found,
            ms,
            what,
            () =>
                `; got ${this.messages
                    .slice(from)
                    .map(m => m.method)
                    .join(', ')}`,
        ).finally(() => this.stopWaiting(waiter!));
    }

    /** Resolves with `promise`, or rejects on server exit or after `ms` (a generous ceiling, not a sleep). */
    race<T>(promise: Promise<T>, ms: number, what: string, detail: () => string = () => ''): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            const fail = (why: string) => done(() => reject(new Error(`${why}${detail()}\n${this.stderr.slice(-20_000)}`)));
            const onExit = () => fail(`server exited (${JSON.stringify(this.exit)}) while waiting for ${what}`);
            const done = (f: () => void) => {
                clearTimeout(timer);
                const i = this.exitWaiters.indexOf(onExit);
                if (i >= 0) this.exitWaiters.splice(i, 1);
                f();
            };
            const timer = setTimeout(() => fail(`no ${what} within ${ms} ms`), ms);
            promise.then(
                v => done(() => resolve(v)),
                (e: unknown) => done(() => reject(e instanceof Error ? e : new Error(String(e)))),
            );
            if (this.exit) onExit();
            else this.exitWaiters.push(onExit);
        });
    }

    /** initialize, then initialized; rejects if the server exits or does not answer within `ms`. */
    async initialize(params: InitializeParams, ms = 60_000): Promise<InitializeResult> {
        const result = await this.race(this.connection.sendRequest<InitializeResult>('initialize', params), ms, 'initialize result');
        await this.connection.sendNotification('initialized', {});
        return result;
    }

    async didOpen(uri: string, text: string): Promise<void> {
        this.versions.set(uri, 1);
        await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'emn', version: 1, text } });
    }

    /** Writes a spec to `path` and opens it; returns its URI. */
    async openFile(path: string, text: string): Promise<string> {
        writeFileSync(path, text);
        const uri = pathToFileURL(path).href;
        await this.didOpen(uri, text);
        return uri;
    }

    /** Replaces the whole text of an open document (the next version); returns that version. */
    async change(uri: string, text: string): Promise<number> {
        const version = (this.versions.get(uri) ?? 1) + 1;
        this.versions.set(uri, version);
        await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
        return version;
    }

    /** shutdown and exit when the server still runs (shutdown given `ms`), then the kill by pid as the fallback. */
    async dispose(ms = 5_000): Promise<void> {
        if (!this.connection) return;
        if (!this.exit) {
            try {
                await this.race(this.connection.sendRequest('shutdown'), ms, 'shutdown');
                await this.connection.sendNotification('exit');
            } catch {
                /* the kill below ends it anyway */
            }
        }
        this.connection.dispose();
        if (!this.exit && this.child.pid) {
            try {
                process.kill(this.child.pid);
            } catch {
                /* already gone */
            }
        }
    }
}

/** rootUri and workspaceFolders of initialize for one workspace folder. */
export function workspaceOf(folder: string, name: string): Pick<InitializeParams, 'rootUri' | 'workspaceFolders'> {
    const uri = pathToFileURL(folder).href;
    return { rootUri: uri, workspaceFolders: [{ uri, name }] };
}
