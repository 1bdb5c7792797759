// The table of `emn` commands: name, options, exit codes and what runs. A new command or option is added here only.
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { METRIC_DEFINITIONS, type BackendChoice } from '../engine/view.js';
import { defineCommand, type CommandSpec } from './command-line.js';

// the implementations are imported when their command runs: `emn check` must not load tfjs
const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendChoice[];

const TRAIN_EXIT_CODES = {
    0: 'every experiment trained (ran its steps or reached its target)',
    1: 'spec errors or usage errors; nothing was trained',
    2: 'training failed, diverged or was cancelled (the last good result is kept)',
};

const checkCommand = defineCommand({
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
    description:
        'Results go to .emn-results/<file>/<experiment>.json beside the spec (or --out DIR);\n' +
        'a diverged or cancelled run goes to <experiment>.last-failure.json and never replaces a good result.\n' +
        "Sweep points are numbered from 0 in every table, as --point and Slurm's task ids number them.\n" +
        'The metrics, on each evaluation set (test: fresh samples of the learned operation):\n' +
        METRIC_DEFINITIONS.map(([label, meaning]) => `  ${label}: ${meaning}`).join('\n'),
    options: {
        experiment: { type: 'string', value: 'NAME', description: 'train only this experiment' },
        backend: { type: 'string', value: 'NAME', choices: BACKENDS, default: 'auto', description: 'tfjs backend' },
        json: { type: 'boolean', description: 'print the results as JSON (one object, or an array for several experiments)' },
        out: { type: 'string', value: 'DIR', description: 'write the results into DIR instead of beside the spec' },
        plan: { type: 'boolean', description: 'print the compiled plan (layers, shapes, density, memory) and train nothing' },
        point: {
            type: 'string',
            value: 'K|K1,K2|K1-K2',
            description: 'train only these sweep points (0-based) of --experiment, one point file each',
        },
        'point-from-env': {
            type: 'boolean',
            description: "the point is this array task's index: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX",
        },
        manifest: {
            type: 'string',
            value: 'FILE',
            description: 'with --point-from-env: the index is a task of this Slurm manifest, which lists its points',
        },
        'manifest-array': { type: 'string', value: 'A', description: 'the array of the manifest this task belongs to (from 0)' },
        history: {
            type: 'string',
            value: 'N',
            positiveInteger: true,
            default: '20',
            description: 'keep the last N runs of each experiment in its history (emn diff EXP@RUN)',
        },
        workers: {
            type: 'string',
            value: 'N',
            positiveInteger: true,
            description:
                "train a sweep's points in N threads at once, the main thread and N - 1 workers (the numbers do not depend on N); " +
                `default: what the calibrated cost model finishes soonest on the ${availableParallelism()} cores (1 where serial is faster)`,
        },
    },
    exitCodes: TRAIN_EXIT_CODES,
    run: async ({ values, positionals }) => {
        // an explicit --workers N starts its workers while the spec is parsed; the default waits for the cost model
        if (!values.plan && values.point === undefined && !values['point-from-env'] && values.workers !== undefined) {
            (await import('./prestart-workers.js')).prestartTrainingWorkers(positionals[0], Number(values.workers));
        }
        return (await import('./train-command.js')).runTrainCommand({
            file: positionals[0],
            experiment: values.experiment,
            backend: values.backend as BackendChoice,
            json: values.json,
            out: values.out,
            plan: values.plan,
            point: values.point,
            pointFromEnv: values['point-from-env'],
            manifest: values.manifest,
            manifestArray: values['manifest-array'] === undefined ? undefined : Number(values['manifest-array']),
            history: Number(values.history),
            workers: values.workers === undefined ? undefined : Number(values.workers),
        });
    },
});

const diffCommand = defineCommand({
    name: 'diff',
    summary: 'compare two runs: the settings that differ, metrics side by side, the difference of E and of each weight',
    usage: '<spec> <exp[@run]> [<spec2>] <exp2[@run]>',
    positionals: { min: 3, max: 4 },
    description:
        "EXP is the experiment's latest result; EXP@RUN a run of its history (emn train keeps the last 20):\n" +
        'a run number, latest, or ~K (K runs before the latest). With SPEC2, EXP2 is an experiment of that file.\n' +
        'Differences are B - A (B the second run). Weights are compared when the networks have one shape.',
    options: {
        json: { type: 'boolean', description: 'print the comparison as JSON' },
        md: { type: 'boolean', description: 'print the comparison as Markdown' },
        out: { type: 'string', value: 'DIR', description: 'the results folder, if the runs were trained with --out DIR' },
    },
    exitCodes: { 0: 'compared', 1: 'usage error, spec errors, or a run that does not exist' },
    run: async ({ values, positionals }) =>
        (await import('./diff-command.js')).runDiffCommand({ positionals, json: values.json, md: values.md, out: values.out }),
});

const reportCommand = defineCommand({
    name: 'report',
    summary: 'write a Markdown, CSV and/or notebook report of an experiment (or of two runs compared), with SVG and PNG figures',
    usage: '<spec>',
    positionals: { min: 1, max: 1 },
    description:
        'Writes into .emn-results/<file>/<experiment>.report/ (or --to DIR): <experiment>.md with its tables\n' +
        '(every point and evaluation, the spread over seeds) and figures, each as .svg and .png (<experiment>-loss: loss\n' +
        'curves, seeds as a median line over a min-max band; -mse-vs-<parameter> per swept parameter; -grid for two;\n' +
        "-E: the path weights; -weights-<tensor>: every layer; -cluster-0; -sv[-<point>]: the learned map's singular\n" +
        "values beside the target's), <experiment>.csv with one row per point\n" +
        '(<experiment>-seeds.csv: the spread over seeds), and with --notebook <experiment>.ipynb, which loads the results\n' +
        'JSON into pandas and redraws the figures with matplotlib. --compare EXP2[@RUN] reports a comparison instead.',
    options: {
        experiment: {
            type: 'string',
            value: 'EXP[@RUN]',
            required: true,
            description: 'the experiment (or a run of its history) to report',
        },
        compare: { type: 'string', value: 'EXP2[@RUN]', description: 'compare with this run' },
        md: { type: 'boolean', description: 'write the Markdown report' },
        csv: { type: 'boolean', description: 'write the CSV tables' },
        notebook: { type: 'boolean', description: 'write a Jupyter notebook that loads the results and redraws the figures' },
        to: { type: 'string', value: 'DIR', description: 'write the report into DIR' },
        out: { type: 'string', value: 'DIR', description: 'the results folder, if trained with --out DIR' },
    },
    exitCodes: { 0: 'written', 1: 'usage error, spec errors, or no such result' },
    run: async ({ values, positionals }) => {
        return (await import('./report-command.js')).runReportCommand({
            file: positionals[0],
            experiment: values.experiment,
            compare: values.compare,
            md: values.md,
            csv: values.csv,
            notebook: values.notebook,
            to: values.to,
            out: values.out,
        });
    },
});

const lspCommand = defineCommand({
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

const SWEEP_OPTIONS = {
    experiment: { type: 'string', value: 'NAME', required: true, description: 'the sweep experiment' },
    out: { type: 'string', value: 'DIR', description: 'the results folder, if the points were trained with --out DIR' },
    json: { type: 'boolean', description: 'print JSON' },
} as const;

const sweepSlurmCommand = defineCommand({
    name: 'sweep slurm',
    summary: 'run a sweep as Slurm job arrays (several points per task, as many arrays as MaxArraySize needs); print the job ids',
    usage: '<file>',
    positionals: { min: 1, max: 1 },
    description:
        'Writes a manifest (which points each task trains) and a batch script per array into the results store\n' +
        '(.emn-results/<file>/<experiment>.slurm/; task output in logs/), submits them with sbatch and prints the job ids.\n' +
        'Each task runs `emn train <file> --experiment E --manifest M --manifest-array A --point-from-env`, trains its\n' +
        'points in one process (SLURM_CPUS_PER_TASK at once), skips points already trained, and writes one point file each.\n' +
        '--max-parallel bounds the tasks of all arrays together.\n' +
        'Options for sbatch go as --sbatch-arg=--time=00:30:00 (with =, since they start with a dash).',
    options: {
        ...SWEEP_OPTIONS,
        backend: { type: 'string', value: 'NAME', choices: BACKENDS, default: 'auto', description: 'tfjs backend on the nodes' },
        'max-parallel': { type: 'string', value: 'M', positiveInteger: true, description: 'at most M tasks at once (--array=...%M)' },
        'sbatch-arg': { type: 'string', value: 'ARG', multiple: true, description: 'an option passed to sbatch' },
        missing: { type: 'boolean', description: 'submit only the points without a result (missing, failed, or of an older spec)' },
        wait: { type: 'boolean', description: 'wait for every task of every array to end, then collect' },
        'points-per-task': {
            type: 'string',
            value: 'K',
            positiveInteger: true,
            description:
                'points each array task trains (default: about a minute of training per task by the cost model, within MaxArraySize)',
        },
        'cpus-per-task': {
            type: 'string',
            value: 'C',
            positiveInteger: true,
            description: 'CPUs of each task; it trains C points at once (default 1)',
        },
        'no-requeue': {
            type: 'boolean',
            description: 'a task whose node fails is not put back in the queue (default: requeued; it skips the points it wrote)',
        },
    },
    exitCodes: {
        0: 'submitted (with --wait: every point done and collected)',
        1: 'spec errors or usage errors; nothing was submitted',
        2: 'sbatch refused the job, or (with --wait) points are missing or failed',
    },
    run: async ({ values, positionals }) => {
        return (await import('./sweep-command.js')).runSweepSlurm(
            {
                file: positionals[0],
                experiment: values.experiment,
                out: values.out,
                json: values.json,
                backend: values.backend as BackendChoice,
                maxParallel: values['max-parallel'],
                sbatchArgs: values['sbatch-arg'],
                missing: values.missing,
                wait: values.wait,
                pointsPerTask: values['points-per-task'],
                cpusPerTask: values['cpus-per-task'],
                requeue: !values['no-requeue'],
            },
            [process.execPath, resolve(process.argv[1])],
        );
    },
});

const sweepCollectCommand = defineCommand({
    name: 'sweep collect',
    summary: "merge a sweep's point files into the experiment's result (the JSON a local sweep writes)",
    usage: '<file>',
    positionals: { min: 1, max: 1 },
    options: SWEEP_OPTIONS,
    exitCodes: {
        0: 'every point done: the result was written',
        1: 'spec errors or usage errors',
        2: 'points missing, failed or trained from another version of the spec (listed on stderr)',
    },
    run: async ({ values, positionals }) => {
        return (await import('./sweep-command.js')).runSweepCollect({
            file: positionals[0],
            experiment: values.experiment,
            out: values.out,
            json: values.json,
        });
    },
});

const sweepCancelCommand = defineCommand({
    name: 'sweep cancel',
    summary: 'scancel every array of a sweep that still has a task pending or running',
    usage: '<file>',
    positionals: { min: 1, max: 1 },
    options: SWEEP_OPTIONS,
    description: 'Each running task records its point as stopped by SIGTERM; `emn sweep slurm --missing` submits them again.',
    exitCodes: { 0: 'cancelled (or nothing was running)', 1: 'spec errors or usage errors', 2: 'squeue or scancel failed' },
    run: async ({ values, positionals }) => {
        return (await import('./sweep-command.js')).runSweepCancel({
            file: positionals[0],
            experiment: values.experiment,
            out: values.out,
            json: values.json,
        });
    },
});

const sweepStatusCommand = defineCommand({
    name: 'sweep status',
    summary: 'how many points of a sweep are done, running, pending, failed, missing',
    usage: '<file>',
    positionals: { min: 1, max: 1 },
    options: SWEEP_OPTIONS,
    exitCodes: { 0: 'the status was printed', 1: 'spec errors or usage errors' },
    run: async ({ values, positionals }) => {
        return (await import('./sweep-command.js')).runSweepStatus({
            file: positionals[0],
            experiment: values.experiment,
            out: values.out,
            json: values.json,
        });
    },
});

/** Every command, in the order `emn --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
    checkCommand,
    trainCommand,
    diffCommand,
    reportCommand,
    sweepSlurmCommand,
    sweepCollectCommand,
    sweepStatusCommand,
    sweepCancelCommand,
    lspCommand,
];
