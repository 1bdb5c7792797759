// Training settings of the language server: backend choice, results folder confined to the spec's folder.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESULTS_FOLDER, parseResultsFolder, resolveTrainingSettings } from '../language-server/lsp/training/training-settings.js';

describe('training settings', () => {
    it('prefers the client settings over initializationOptions, and defaults to auto and .emn-results', () => {
        expect(resolveTrainingSettings(undefined, {})).toEqual({
            backend: 'auto',
            resultsFolder: DEFAULT_RESULTS_FOLDER,
            historyLimit: 20,
            warnings: [],
        });
        expect(resolveTrainingSettings({ results: { history: 5 } }, {}).historyLimit).toBe(5);
        const bad = resolveTrainingSettings({ results: { history: 0 } }, {});
        expect(bad.historyLimit).toBe(20);
        expect(bad.warnings).toEqual(['emn.results.history must be a positive integer; got 0, using 20']);
        expect(resolveTrainingSettings(undefined, { backend: 'cpu', resultsFolder: 'r' })).toMatchObject({
            backend: 'cpu',
            resultsFolder: 'r',
        });
        expect(
            resolveTrainingSettings(
                { training: { backend: 'wasm' }, results: { folder: 'out/emn' } },
                { backend: 'cpu', resultsFolder: 'r' },
            ),
        ).toMatchObject({ backend: 'wasm', resultsFolder: 'out/emn', warnings: [] });
    });

    it("takes a worker memory limit of at least 32 MB; anything else is Node's default with a warning", () => {
        expect(resolveTrainingSettings({ training: { workerMemoryMB: 64 } }, {})).toMatchObject({ workerMemoryMB: 64, warnings: [] });
        expect(resolveTrainingSettings({ training: { workerMemoryMB: null } }, {})).not.toHaveProperty('workerMemoryMB');
        for (const bad of [16, 64.5, '64', -1]) {
            const settings = resolveTrainingSettings({ training: { workerMemoryMB: bad } }, {});
            expect(settings).not.toHaveProperty('workerMemoryMB');
            expect(settings.warnings).toEqual([
                `emn.training.workerMemoryMB must be a whole number of MB, at least 32; got ${JSON.stringify(bad)}, using Node's default`,
            ]);
        }
    });

    it('rejects a results folder that leaves the spec folder, with a warning', () => {
        for (const bad of ['../elsewhere', 'a/../../b', '/tmp/x', 'C:\\temp', '..\\up', '.', 42]) {
            const warnings: string[] = [];
            expect(parseResultsFolder(bad, warnings)).toBeUndefined();
            expect(warnings).toHaveLength(1);
        }
        const warnings: string[] = [];
        expect(parseResultsFolder('./results//emn/', warnings)).toBe('results/emn');
        expect(warnings).toEqual([]);
        const s = resolveTrainingSettings({ results: { folder: '../../etc' } }, {});
        expect(s.resultsFolder).toBe(DEFAULT_RESULTS_FOLDER);
        expect(s.warnings[0]).toMatch(/must stay inside the spec's folder/);
    });

    it('falls back to auto for an unknown backend', () => {
        const s = resolveTrainingSettings({ training: { backend: 'gpu' } }, {});
        expect(s.backend).toBe('auto');
        expect(s.warnings[0]).toMatch(/auto, tensorflow, wasm, cpu/);
    });
});
