// The table of `emn` commands: name, options, exit codes and what runs. A new command or option is added here only.
import { availableParallelism } from 'node:os';
import type { BackendChoice } from '../language-server/training/backend.js';
import { defineCommand, type CommandSpec } from './command-line.js';

// the implementations are imported when their command runs: `emn check` must not load tfjs
const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendChoice[];

const TRAIN_EXIT_CODES = {
    0: 'every experiment trained (ran its steps or reached its target)',
    1: 'spec errors or usage errors; nothing was trained',
    2: 'training failed, diverged or was cancelled (the last good result is kept)',
};

export const checkCommand = defineCommand({
    name: 'check',
    summary: 'report diagnostics as file:line:col: error|warning: message',
    usage: '<files...>',
    positionals: { min: 1, max: Infinity },
    options: {},
    exitCodes: { 0: 'no errors (warnings may be printed)', 1: 'at least one error, an unreadable file, or a usage error' },
    run: async ({ positionals }) => (await import('./check-command.js')).runCheckCommand(positionals),
});

export const trainCommand = defineCommand({
    name: 'train',
    summary: 'train the experiments of a spec; print a results table (or JSON); save the results',
    usage: '<file>',
    positionals: { min: 1, max: 1 },
    description: 'Results go to .emn-results/<file>/<experiment>.json beside the spec (or --out DIR);\n'
        + 'a diverged or cancelled run goes to <experiment>.last-failure.json and never replaces a good result.',
    options: {
        experiment: { type: 'string', value: 'NAME', description: 'train only this experiment' },
        backend: { type: 'string', value: 'NAME', choices: BACKENDS, default: 'auto', description: 'tfjs backend' },
        json: { type: 'boolean', description: 'print the results as JSON (one object, or an array for several experiments)' },
        out: { type: 'string', value: 'DIR', description: 'write the results into DIR instead of beside the spec' },
        plan: { type: 'boolean', description: 'print the compiled plan (layers, shapes, density, memory) and train nothing' },
        workers: {
            type: 'string', value: 'N', positiveInteger: true, default: String(availableParallelism()),
            description: 'train a sweep\'s points in N worker threads at once (the numbers do not depend on N)',
        },
    },
    exitCodes: TRAIN_EXIT_CODES,
    run: async ({ values, positionals }) => (await import('./train-command.js')).runTrainCommand({
        file: positionals[0], experiment: values.experiment, backend: values.backend as BackendChoice,
        json: values.json, out: values.out, plan: values.plan, workers: Number(values.workers),
    }),
});

export const lspCommand = defineCommand({
    name: 'lsp',
    summary: 'run the language server over stdio, for any LSP editor',
    usage: '',
    positionals: { min: 0, max: 0 },
    options: {
        // vscode-languageserver reads these from process.argv itself; declared so that they pass and are documented
        stdio: { type: 'boolean', description: 'talk LSP over stdin/stdout' },
        'node-ipc': { type: 'boolean', description: 'talk LSP over a Node IPC channel (when started by a Node client)' },
        socket: { type: 'string', value: 'PORT', description: 'talk LSP over a TCP socket on PORT' },
        pipe: { type: 'string', value: 'NAME', description: 'talk LSP over the named pipe NAME' },
        clientProcessId: { type: 'string', value: 'PID', description: 'exit when the editor with this process id exits' },
    },
    exitCodes: { 0: 'the client asked the server to exit', 1: 'usage error (no transport given)' },
    run: async ({ values }) => {
        if (!values.stdio && !values['node-ipc'] && !values.socket && !values.pipe) {
            process.stderr.write('emn lsp: give a transport: --stdio, --node-ipc, --socket PORT or --pipe NAME\n');
            return 1;
        }
        const { startEmnLanguageServer } = await import('../language-server/start-server.js');
        startEmnLanguageServer();
        return -1; // keep running: the server ends the process on exit
    },
});

/** Every command, in the order `emn --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
    checkCommand,
    trainCommand,
    lspCommand,
];
