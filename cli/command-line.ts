// The `emn` command line's machinery: a command declares its options once; parsing (node:util parseArgs), usage errors and --help come from
// that.
import { parseArgs } from 'node:util';

export interface OptionSpec {
    type: 'string' | 'boolean';
    /** One letter: `-x`. */
    short?: string;
    /** A string option that may be given several times (its value is then a list). */
    multiple?: boolean;
    /** Placeholder of the value in help: `--out DIR`. */
    value?: string;
    /** Allowed values of a string option; anything else is a usage error. */
    choices?: readonly string[];
    /** A string option whose value must be a positive integer (`--workers 2`). */
    positiveInteger?: boolean;
    /** A string option the command cannot do without: missing, it is a usage error like any other. */
    required?: true;
    default?: string;
    description: string;
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
    ? boolean
    : S['multiple'] extends true
      ? string[]
      : S['default'] extends string
        ? string
        : S['required'] extends true
          ? string
          : string | undefined;

export type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]: ValueOf<O[K]> };

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
    /** One word (`train`) or a group and a word (`sweep collect`). */
    name: string;
    /** One line for `emn --help`. */
    summary: string;
    /** What follows the command in the usage line, e.g. `<file>` or `<files...>`. */
    usage: string;
    /** How many positionals it takes. */
    positionals: { min: number; max: number };
    /** Longer text for `emn <command> --help`, optional. */
    description?: string;
    options: O;
    exitCodes: Record<number, string>;
    /** Returns the exit code, or -1 to keep the process running (a server). */
    run(args: { values: OptionValues<O>; positionals: string[] }): Promise<number>;
}

/** Keeps the options' literal types so that `run` sees typed values. */
export function defineCommand<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> {
    return spec;
}

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help and exit' };

export type Parsed<O extends Record<string, OptionSpec>> =
    { kind: 'help' } | { kind: 'args'; values: OptionValues<O>; positionals: string[] } | { kind: 'error'; message: string };

/**
 * Parses a command's arguments (those after its name). Non-strict parsing plus our own checks of the tokens, so
 * every command words its usage errors alike ("unknown option --x", "--out needs a value") instead of
 * node's long internal messages. `--help` anywhere wins over every other error.
 */
export function parseCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, args: string[]): Parsed<O> {
    const options = { ...spec.options, help: HELP_OPTION } as Record<string, OptionSpec>;
    const config = Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
            name,
            { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
        ]),
    );
    const { values, positionals, tokens } = parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true });
    if (values.help === true) return { kind: 'help' };
    for (const t of tokens) {
        if (t.kind !== 'option') continue;
        const o = options[t.name];
        if (!o) return { kind: 'error', message: `unknown option ${t.rawName}` };
        if (o.type === 'boolean' && t.value !== undefined) return { kind: 'error', message: `${t.rawName} takes no value` };
        if (o.type === 'string') {
            // parseArgs takes the next argument as the value even if it is an option (`--out --json`)
            if (t.value === undefined || t.value === '' || (!t.inlineValue && t.value.startsWith('-'))) {
                return { kind: 'error', message: `${t.rawName} needs a value${o.value ? ` (${o.value})` : ''}` };
            }
            if (o.choices && !o.choices.includes(t.value)) {
                return { kind: 'error', message: `${t.rawName} must be one of ${o.choices.join(', ')}; got ${t.value}` };
            }
            if (o.positiveInteger && !/^[1-9]\d*$/.test(t.value)) {
                return { kind: 'error', message: `${t.rawName} must be a positive integer; got ${t.value}` };
            }
        }
    }
    const { min, max } = spec.positionals;
    if (positionals.length < min) return { kind: 'error', message: `missing ${spec.usage}` };
    if (positionals.length > max) return { kind: 'error', message: `unexpected argument ${positionals[max]}` };
    for (const [name, o] of Object.entries(spec.options)) {
        if (o.required && typeof values[name] !== 'string')
            return { kind: 'error', message: `--${name} ${o.value ?? 'VALUE'} is required` };
    }
    const out: Record<string, unknown> = {};
    for (const [name, o] of Object.entries(spec.options)) {
        const v = values[name];
        if (o.type === 'boolean') out[name] = v === true;
        else if (o.multiple) out[name] = Array.isArray(v) ? v : [];
        else out[name] = typeof v === 'string' ? v : o.default;
    }
    return { kind: 'args', values: out as OptionValues<O>, positionals };
}

function optionLine(name: string, o: OptionSpec): [string, string] {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const extras = [
        o.required ? 'required' : '',
        o.choices ? `one of ${o.choices.join(', ')}` : '',
        o.default !== undefined ? `default ${o.default}` : '',
        o.multiple ? 'may be repeated' : '',
    ]
        .filter(Boolean)
        .join('; ');
    return [flag, o.description + (extras ? ` (${extras})` : '')];
}

/** Two columns, the second starting at the same place on every line. */
function columns(rows: [string, string][], indent = '  '): string[] {
    const width = Math.max(...rows.map(([a]) => a.length));
    return rows.map(([a, b]) => `${indent}${a.padEnd(width)}  ${b}`.trimEnd());
}

export function usageLine(spec: CommandSpec): string {
    return `usage: emn ${spec.name} ${spec.usage} [options]`.replace(/\s+/g, ' ');
}

export function formatCommandHelp(spec: CommandSpec): string {
    const options = { ...spec.options, help: HELP_OPTION };
    return [
        usageLine(spec),
        '',
        spec.summary,
        ...(spec.description ? ['', spec.description] : []),
        '',
        'options:',
        ...columns(Object.entries(options).map(([n, o]) => optionLine(n, o))),
        '',
        'exit codes:',
        ...columns(Object.entries(spec.exitCodes).map(([code, text]) => [code, text])),
        '',
    ].join('\n');
}

export function formatOverview(commands: readonly CommandSpec[], version: string): string {
    return [
        `emn ${version}: check and train ensemble mask network specs (.emn)`,
        '',
        'usage: emn <command> [options]',
        '',
        'commands:',
        ...columns(commands.map(c => [`${c.name} ${c.usage}`.trim(), c.summary])),
        '',
        'emn <command> --help   options and exit codes of a command',
        'emn --version          the version',
        '',
    ].join('\n');
}
