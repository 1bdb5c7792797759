// A real LSP client for the protocol tests: spawns the built server (dist/ made fresh first), records notifications, waits on them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    createProtocolConnection, StreamMessageReader, StreamMessageWriter,
    type CodeLens, type Diagnostic, type Hover, type InitializeResult, type InlayHint, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { EmnInitializationOptions, TrainCommandResult, TrainingFinishedParams } from '../language-server/protocol.js';
import { ensureFreshDist, freshWorkerOverrideServer, ROOT } from './fresh-dist.js';

export { ROOT };

interface StarHandlers {
    onNotification(handler: (method: string, params: unknown) => void): void;
    onRequest(handler: (method: string, params: unknown) => unknown): void;
}

export interface Recorded {
    method: string;
    params: any;
}

export interface ClientOptions {
    initializationOptions?: EmnInitializationOptions;
    /** The `emn` section answered to workspace/configuration; undefined: the client has no configuration capability. */
    settings?: Record<string, unknown>;
    /** Extra environment of the server process. */
    env?: Record<string, string>;
    /** The server's script and arguments (the script relative to the repository); default dist/language-server.cjs --stdio. */
    command?: string[];
    /** A training worker script to train with instead of dist/training-worker.cjs (a server whose TrainingEngine is overridden). */
    trainingWorker?: string;
}

export class TrainingLspClient {
    /** The server process and its connection exist from initialize() on: it makes dist/ fresh first (test/fresh-dist.ts). */
    child!: ChildProcess;
    connection!: ProtocolConnection;
    /** The server's exit code, once it exits. */
    exitCode!: Promise<number | null>;
    readonly folder: string;
    readonly messages: Recorded[] = [];
    stderr = '';
    private readonly listeners: (() => void)[] = [];
    private exited = false;
    private versions = new Map<string, number>();

    constructor(readonly options: ClientOptions = {}) {
        this.folder = mkdtempSync(join(tmpdir(), 'emn-train-lsp-'));
    }

    private start(): void {
        const options = this.options;
        const [script, ...args] = options.command ?? ['dist/language-server.cjs', '--stdio'];
        this.child = spawn(process.execPath, [resolve(ROOT, script), ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
        this.child.stderr!.setEncoding('utf8').on('data', (s: string) => { this.stderr = (this.stderr + s).slice(-100_000); });
        this.exitCode = new Promise(resolve => this.child.on('exit', code => { this.exited = true; this.notify(); resolve(code); }));
        this.child.stdin!.on('error', () => undefined);
        this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
        // star handlers (every method) exist at runtime; the protocol connection's typings omit them
        const star = this.connection as unknown as StarHandlers;
        star.onNotification((method, params) => this.record(method, params));
        star.onRequest((method, params: any) => {
            this.record(method, params);
            if (method === 'workspace/configuration') return params.items.map(() => options.settings ?? null);
            return null;
        });
        this.connection.onError(() => undefined);
        this.connection.listen();
    }

    private record(method: string, params: unknown): void {
        this.messages.push({ method, params });
        this.notify();
    }

    private notify(): void {
        for (const l of [...this.listeners]) l();
    }

    get pid(): number | undefined {
        return this.child?.pid;
    }

    async initialize(): Promise<InitializeResult> {
        await ensureFreshDist();
        if (this.options.trainingWorker) this.options.command = [await freshWorkerOverrideServer(), this.options.trainingWorker, '--stdio'];
        this.start();
        const folderUri = pathToFileURL(this.folder).href;
        const result: InitializeResult = await this.connection.sendRequest('initialize', {
            processId: process.pid,
            rootUri: folderUri,
            workspaceFolders: [{ uri: folderUri, name: 'specs' }],
            capabilities: {
                workspace: {
                    configuration: this.options.settings !== undefined,
                    codeLens: { refreshSupport: true },
                    inlayHint: { refreshSupport: true },
                    workspaceFolders: true,
                },
                textDocument: {
                    hover: { contentFormat: ['markdown', 'plaintext'] },
                    completion: { completionItem: { snippetSupport: true } },
                    publishDiagnostics: {},
                    codeLens: {},
                    inlayHint: {},
                },
            },
            initializationOptions: this.options.initializationOptions,
        });
        await this.connection.sendNotification('initialized', {});
        return result;
    }

    /** Writes a spec into the workspace folder and opens it; returns its URI. */
    async open(name: string, text: string): Promise<string> {
        const path = join(this.folder, name);
        writeFileSync(path, text);
        const uri = pathToFileURL(path).href;
        this.versions.set(uri, 1);
        await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'emn', version: 1, text } });
        return uri;
    }

    async change(uri: string, text: string): Promise<void> {
        const version = (this.versions.get(uri) ?? 1) + 1;
        this.versions.set(uri, version);
        await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    }

    /**
     * Resolves with the first recorded message (from index `from`) that satisfies `match`; rejects when the server
     * exits or after `ms` (a ceiling against hangs, not a sleep: the wait ends on the message).
     */
    waitFor(match: (m: Recorded) => boolean, ms = 60_000, from = 0, what = 'message'): Promise<Recorded> {
        return new Promise((resolve, reject) => {
            const check = () => {
                const found = this.messages.slice(from).find(match);
                if (found) { finish(); resolve(found); return; }
                if (this.exited) { finish(); reject(new Error(`server exited while waiting for ${what}\n${this.stderr}`)); }
            };
            const timer = setTimeout(() => { finish(); reject(new Error(`no ${what} within ${ms} ms; got ${this.messages.slice(from).map(m => m.method).join(', ')}\n${this.stderr}`)); }, ms);
            const finish = () => {
                clearTimeout(timer);
                const i = this.listeners.indexOf(check);
                if (i >= 0) this.listeners.splice(i, 1);
            };
            this.listeners.push(check);
            check();
        });
    }

    /** The trainingFinished notification of an experiment, after message index `from`. */
    async finished(uri: string, experiment: string, from: number, ms = 60_000): Promise<TrainingFinishedParams> {
        const m = await this.waitFor(m => m.method === 'emn/trainingFinished' && m.params.uri === uri && m.params.experiment === experiment, ms, from, `trainingFinished of ${experiment}`);
        return m.params;
    }

    /** The diagnostics published for `uri` after index `from` that satisfy `match`. */
    async diagnostics(uri: string, from: number, match: (d: Diagnostic[]) => boolean, ms = 30_000): Promise<Diagnostic[]> {
        const m = await this.waitFor(m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && match(m.params.diagnostics), ms, from, 'diagnostics');
        return m.params.diagnostics;
    }

    execute(command: string, args: unknown[]): Promise<TrainCommandResult> {
        return this.connection.sendRequest('workspace/executeCommand', { command, arguments: args });
    }

    codeLens(uri: string): Promise<CodeLens[]> {
        return this.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    }

    async lensTitles(uri: string): Promise<string[]> {
        return (await this.codeLens(uri)).map(l => l.command?.title ?? '');
    }

    inlayHints(uri: string, lines = 1000): Promise<InlayHint[] | null> {
        return this.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } } });
    }

    async hoverText(uri: string, line: number, character: number): Promise<string> {
        const hover: Hover | null = await this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
        const c = hover?.contents;
        if (!c) return '';
        if (typeof c === 'string') return c;
        if (Array.isArray(c)) return c.map(x => typeof x === 'string' ? x : x.value).join('\n');
        return c.value;
    }

    async dispose(): Promise<void> {
        if (!this.connection) { rmSync(this.folder, { recursive: true, force: true }); return; }
        if (!this.exited) {
            try {
                await Promise.race([this.connection.sendRequest('shutdown'), new Promise(r => setTimeout(r, 2000))]);
                await this.connection.sendNotification('exit');
            } catch { /* the kill below ends it anyway */ }
        }
        this.connection.dispose();
        if (!this.exited && this.child.pid) {
            try { process.kill(this.child.pid); } catch { /* already gone */ }
        }
        rmSync(this.folder, { recursive: true, force: true });
    }
}

/** Line and character of the first occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
    const offset = text.indexOf(needle);
    if (offset < 0) throw new Error(`${needle} not in text`);
    const before = text.slice(0, offset + delta);
    const line = before.split('\n').length - 1;
    return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** A trusted cpu-backend server on a freshly built dist/, initialised and ready (tests dispose it in afterAll). */
export async function startTrainingServer(options: ClientOptions = { initializationOptions: { trusted: true, backend: 'cpu' } }): Promise<TrainingLspClient> {
    const client = new TrainingLspClient(options);
    await client.initialize();
    return client;
}
