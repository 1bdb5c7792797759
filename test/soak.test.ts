// The short soak (npm test): 150 runs in one language-server session; keeps the samples as a figure
// (test-results/soak.csv, soak.svg). Not a timed or size assertion: `npm run soak` is the full one (bench/RELIABILITY.md).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureFreshDist, ROOT } from './fresh-dist.js';
import { soakSvg } from './soak-figure.js';
import { runSoak, samplesCsv } from './soak-session.js';

const RUNS = Number(process.env.EMN_SOAK_RUNS ?? 150);

describe('soak (short)', () => {
    it(`trains ${RUNS} runs with edits, hovers and results requests in one server session, sampling its memory`, async () => {
        await ensureFreshDist();
        const folder = mkdtempSync(join(tmpdir(), 'emn-soak-'));
        try {
            const samples = await runSoak({
                script: join(ROOT, 'dist', 'language-server.cjs'),
                args: ['--stdio'],
                folder: join(folder, 'ws'),
                runs: RUNS,
                sampleEvery: 10,
            });
            const out = join(ROOT, 'test-results');
            mkdirSync(out, { recursive: true });
            writeFileSync(join(out, 'soak.csv'), samplesCsv(samples));
            writeFileSync(join(out, 'soak.svg'), soakSvg(samples, `Language server, one session, ${RUNS} runs (short soak of npm test)`));
            // every run completed (runSoak throws otherwise) and every sample was taken, with a live server
            expect(samples.map(s => s.run)).toEqual([
                1,
                ...Array.from({ length: Math.floor(RUNS / 10) }, (_, k) => (k + 1) * 10),
                ...(RUNS % 10 === 0 ? [] : [RUNS]),
            ]);
            expect(samples.every(s => s.heapUsed > 0 && s.rss >= s.heapUsed)).toBe(true);
        } finally {
            rmSync(folder, { recursive: true, force: true });
        }
    }, 600_000);
});
