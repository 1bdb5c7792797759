// The `emn` command line: finds the command in the table (cli/commands.ts), parses its options, runs it.
import 'core-js/actual/object/group-by.js';
import pkg from '../package.json';
import { formatCommandHelp, formatOverview, parseCommand, usageLine, type CommandSpec } from './command-line.js';
import { COMMANDS } from './commands.js';

// a closed pipe (`emn check ... | head`) is the reader's choice, not an error worth a stack trace
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
});

/** The command named by the first one or two words (`train`, `sweep collect`), and the arguments after it. */
function findCommand(argv: string[]): { command: CommandSpec; rest: string[] } | undefined {
    for (const words of [2, 1]) {
        const name = argv.slice(0, words).join(' ');
        const command = argv.length >= words ? COMMANDS.find(c => c.name === name) : undefined;
        if (command) return { command, rest: argv.slice(words) };
    }
    return undefined;
}

async function main(argv: string[]): Promise<number> {
    const [first] = argv;
    if (first === '--version' || first === '-V' || first === 'version') {
        process.stdout.write(`${pkg.version}\n`);
        return 0;
    }
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
        const topic = first === 'help' ? findCommand(argv.slice(1)) : undefined;
        process.stdout.write(topic ? formatCommandHelp(topic.command) : formatOverview(COMMANDS, pkg.version));
        return first === undefined ? 1 : 0;
    }
    const found = findCommand(argv);
    if (!found) {
        // a group word alone (`emn sweep`) lists the group's commands
        const group = COMMANDS.filter(c => c.name.startsWith(`${first} `));
        const known = group.length > 0 ? group : COMMANDS;
        const what = group.length > 0 ? `'${argv.slice(0, 2).join(' ')}' is not a command` : `unknown command '${first}'`;
        process.stderr.write(`emn: ${what}; commands: ${known.map(c => c.name).join(', ')}\nrun 'emn --help' for usage\n`);
        return 1;
    }
    const { command, rest } = found;
    const parsed = parseCommand(command, rest);
    if (parsed.kind === 'help') {
        process.stdout.write(formatCommandHelp(command));
        return 0;
    }
    if (parsed.kind === 'error') {
        process.stderr.write(
            `emn ${command.name}: ${parsed.message}\n${usageLine(command)}\nrun 'emn ${command.name} --help' for options and exit codes\n`,
        );
        return 1;
    }
    return command.run({ values: parsed.values, positionals: parsed.positionals });
}

main(process.argv.slice(2)).then(
    code => {
        if (code >= 0) process.exitCode = code;
    },
    (err: unknown) => {
        process.stderr.write(`emn: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = 2;
    },
);
