// The protocol tests' client: the shared stdio client (test/lsp-stdio-client.ts) on the built server (dist/ made fresh first) and a
// temporary workspace folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CodeLens, Diagnostic, Hover, InitializeResult, InlayHint } from 'vscode-languageserver-protocol/node';
import type { EmnInitializationOptions, TrainCommandResult, TrainingFinishedParams } from '../language-server/protocol.js';
import { ensureFreshDist, freshWorkerOverrideServer, ROOT } from './fresh-dist.js';
import { LspStdioClient, workspaceOf } from './lsp-stdio-client.js';

export { ROOT };

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
    /** The workspace folder (a server restarted on another's workspace); default a new temporary one. */
    folder?: string;
}

/** The shared stdio client on a temporary workspace folder, with the EMN requests and notifications the tests use. */
export class TrainingLspClient extends LspStdioClient {
    readonly folder: string;

    constructor(readonly options: ClientOptions = {}) {
        super();
        this.folder = options.folder ?? mkdtempSync(join(tmpdir(), 'emn-train-lsp-'));
    }

    /** Starts the server (dist/ made fresh first, test/fresh-dist.ts) and initializes it on the folder. */
    override async initialize(): Promise<InitializeResult> {
        await ensureFreshDist();
        if (this.options.trainingWorker) this.options.command = [await freshWorkerOverrideServer(), this.options.trainingWorker, '--stdio'];
        const [script, ...args] = this.options.command ?? ['dist/language-server.cjs', '--stdio'];
        this.launch({ script: resolve(ROOT, script), args, cwd: ROOT, env: this.options.env, settings: this.options.settings });
        return super.initialize({
            processId: process.pid,
            ...workspaceOf(this.folder, 'specs'),
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
    }

    /** Writes a spec into the workspace folder and opens it; returns its URI. */
    open(name: string, text: string): Promise<string> {
        return this.openFile(join(this.folder, name), text);
    }

    /** The trainingFinished notification of an experiment, after message index `from`. */
    async finished(uri: string, experiment: string, from: number, ms = 60_000): Promise<TrainingFinishedParams> {
        const m = await this.waitFor(
            m => m.method === 'emn/trainingFinished' && m.params.uri === uri && m.params.experiment === experiment,
            ms,
            from,
            `trainingFinished of ${experiment}`,
        );
        return m.params;
    }

    /** The diagnostics published for `uri` after index `from` that satisfy `match`. */
    async diagnostics(uri: string, from: number, match: (d: Diagnostic[]) => boolean, ms = 30_000): Promise<Diagnostic[]> {
        const m = await this.waitFor(
            m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && match(m.params.diagnostics),
            ms,
            from,
            'diagnostics',
        );
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
        return this.connection.sendRequest('textDocument/inlayHint', {
            textDocument: { uri },
            range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
        });
    }

    async hoverText(uri: string, line: number, character: number): Promise<string> {
        const hover: Hover | null = await this.connection.sendRequest('textDocument/hover', {
            textDocument: { uri },
            position: { line, character },
        });
        const c = hover?.contents;
        if (!c) return '';
        if (typeof c === 'string') return c;
        if (Array.isArray(c)) return c.map(x => (typeof x === 'string' ? x : x.value)).join('\n');
        return c.value;
    }

    override async dispose(): Promise<void> {
        await super.dispose(2000);
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
export async function startTrainingServer(
    options: ClientOptions = { initializationOptions: { trusted: true, backend: 'cpu' } },
): Promise<TrainingLspClient> {
    const client = new TrainingLspClient(options);
    await client.initialize();
    return client;
}
