// The `emn` command line: `emn check`, `emn train`, `emn sweep`, `emn lsp`.
import 'core-js/actual/object/group-by.js';
import { resolve } from 'node:path';
import { runCheckCommand } from './check-command.js';

const USAGE = `usage:
  emn check <files...>             report diagnostics as file:line:col: error|warning: message
  emn train <file> [--experiment NAME] [--backend auto|tensorflow|wasm|cpu] [--json] [--out DIR] [--plan]
  emn train <file> --experiment E --point K|K1,K2|K1-K2 [--point-from-env]   train only those sweep points
  emn sweep slurm|collect|status <file> --experiment E [...]   a sweep as a Slurm job array (emn sweep --help)
  emn lsp --stdio                  run the language server
`;

// a closed pipe (`emn check ... | head`) is the reader's choice, not an error worth a stack trace
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
});

async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    switch (command) {
        case 'check':
            return runCheckCommand(rest);
        case 'train': {
            const { runTrainCommand } = await import('./train-command.js');
            return runTrainCommand(rest);
        }
        case 'sweep': {
            const { runSweepCommand } = await import('./sweep-command.js');
            // the node runs the same emn: this node binary and this CLI's own file, by absolute path
            return runSweepCommand(rest, [process.execPath, resolve(process.argv[1])]);
        }
        case 'lsp': {
            const { startEmnLanguageServer } = await import('../language-server/start-server.js');
            startEmnLanguageServer();
            return -1; // keep running: the server ends the process on exit
        }
        case undefined: case '-h': case '--help': case 'help':
            process.stdout.write(USAGE);
            return command === undefined ? 1 : 0;
        default:
            process.stderr.write(`emn: unknown command '${command}'\n${USAGE}`);
            return 1;
    }
}

main(process.argv.slice(2)).then(code => {
    if (code >= 0) process.exitCode = code;
}, (err: unknown) => {
    process.stderr.write(`emn: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 2;
});
