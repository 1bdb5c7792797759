// `npm run soak`: the full soak (test/soak-session.ts), 2,000 runs in one language-server session by default
// (EMN_SOAK_RUNS, EMN_SOAK_SERVER=emn for `emn lsp --stdio`); writes test-results/soak-full.csv and .svg and prints the
// samples at 100 runs and at the end, with the change between them. package.json's soak script bundles this file.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSoak, samplesCsv, type SoakSample } from '../test/soak-session.js';
import { soakSvg } from '../test/soak-figure.js';

// `npm run` runs in the repository; the bench is bundled to out/bench/, so its own path says nothing of the repository
const ROOT = process.cwd();
const RUNS = Number(process.env.EMN_SOAK_RUNS ?? 2000);
const viaCli = process.env.EMN_SOAK_SERVER === 'emn';
// EMN_SOAK_SNAPSHOTS=100,1000: heap snapshots of the server after those runs, kept in test-results/ (to find what is kept)
// EMN_SOAK_NODE_ARGS='--max-opt=0': Node/V8 options of the server (e.g. to tell JIT code apart from what runs keep)
const nodeArgs = (process.env.EMN_SOAK_NODE_ARGS ?? '').split(' ').filter(Boolean);
const snapshotsAt = (process.env.EMN_SOAK_SNAPSHOTS ?? '').split(',').filter(Boolean).map(Number);

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
const change = (a: number, b: number) => `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(1)}%`;

async function main(): Promise<void> {
    const out = join(ROOT, 'test-results');
    mkdirSync(out, { recursive: true });
    const folder = mkdtempSync(join(tmpdir(), 'emn-soak-'));
    const server = viaCli
        ? { script: join(ROOT, 'bin', 'emn.cjs'), args: ['lsp', '--stdio'] }
        : { script: join(ROOT, 'dist', 'language-server.cjs'), args: ['--stdio'] };
    console.log(
        `soak: ${RUNS} runs in one session of ${viaCli ? 'emn lsp --stdio' : 'dist/language-server.cjs --stdio'}${nodeArgs.length ? ` (node ${nodeArgs.join(' ')})` : ''}`,
    );
    let samples: SoakSample[];
    try {
        samples = await runSoak({
            ...server,
            folder: join(folder, 'ws'),
            runs: RUNS,
            sampleEvery: 50,
            waitMs: 600_000,
            heapSnapshotsAt: snapshotsAt,
            execArgv: nodeArgs,
            onSample: s =>
                console.log(
                    `run ${s.run}\t${s.seconds.toFixed(0)} s\tRSS ${mb(s.rss)}\theap ${mb(s.heapUsed)} (code ${mb(s.codeSpaceUsed)})\t` +
                        `resources ${s.resources}\tthreads ${s.threads ?? '?'}\tfds ${s.fds ?? '?'}`,
                ),
        });
    } finally {
        for (const run of snapshotsAt) {
            const from = join(folder, `heap-${run}.heapsnapshot`);
            if (existsSync(from)) copyFileSync(from, join(out, `soak-heap-${run}.heapsnapshot`));
        }
        rmSync(folder, { recursive: true, force: true });
    }
    writeFileSync(join(out, 'soak-full.csv'), samplesCsv(samples));
    writeFileSync(
        join(out, 'soak-full.svg'),
        soakSvg(samples, `Language server, one session, ${RUNS} runs (${new Date().toISOString().slice(0, 10)})`),
    );
    const at100 = samples.find(s => s.run >= 100);
    const last = samples[samples.length - 1];
    if (at100 && last !== at100) {
        console.log(`after ${at100.run} runs: RSS ${mb(at100.rss)}, heap after GC ${mb(at100.heapUsed)}`);
        console.log(
            `after ${last.run} runs: RSS ${mb(last.rss)} (${change(at100.rss, last.rss)}), heap after GC ${mb(last.heapUsed)} ` +
                `(${change(at100.heapUsed, last.heapUsed)}), threads ${at100.threads} -> ${last.threads}, fds ${at100.fds} -> ${last.fds}`,
        );
        const data = (s: SoakSample) => s.heapUsed - s.codeSpaceUsed;
        console.log(
            `heap after GC without V8's code space: ${mb(data(at100))} -> ${mb(data(last))} (${change(data(at100), data(last))}); ` +
                `code space ${mb(at100.codeSpaceUsed)} -> ${mb(last.codeSpaceUsed)}`,
        );
    }
    console.log(`samples: test-results/soak-full.csv, figure: test-results/soak-full.svg`);
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
