// The interaction-order litmus: `sweep power` (validation, expansion) and the grid a two-parameter sweep prints.
import { describe, expect, test } from 'vitest';
import { expectError, expectNoIssues } from 'langium/test';
import { expandSweep } from '../engine/spec/expand-sweep.js';
import { litmusSummary, sweepGridOf, sweepGridText } from '../engine/results/sweep-grid.js';
import type { ExperimentResult, PointResult } from '../engine/results/result-types.js';
import { offsetOf, useEmnServices } from './emn-test-services.js';
import { makeSpec } from './trainer-fixtures.js';

const NET = 'network Net { width 4 depth 2 }\n';

describe('sweep power', () => {
    const { validate } = useEmnServices();

    test('on a power or matvec operation: no diagnostics, not even the masking-below-power warning', async () => {
        for (const kind of ['power 2', 'matvec']) {
            expectNoIssues(
                await validate(
                    `operation Op { ${kind} size 6 }\n${NET}experiment E {\n learn Op with Net\n sweep power [1, 2, 3], masking [1, 2, 3]\n}`,
                ),
            );
        }
    });

    test('on a polynomial: an error on `power` saying why', async () => {
        const text = `operation Filter { polynomial [0.5, 1, 0.25] size 6 }\n${NET}experiment E {\n learn Filter with Net\n sweep power [1, 2]\n}`;
        const result = await validate(text);
        expectError(result, /^sweep power sets k in y = A\^k x, but Filter is a polynomial/, {
            offset: offsetOf(text, 'power', 0),
            length: 5,
        });
    });

    test('power values must be integers from 1 to 64', async () => {
        const text = `operation Op { power 2 }\n${NET}experiment E {\n learn Op with Net\n sweep power [2, 0]\n}`;
        expectError(await validate(text), 'power (swept) must be an integer from 1 to 64; got 0', {
            offset: offsetOf(text, '0]', 0),
            length: 1,
        });
    });

    test('expands into power k targets (matvec becomes power k), for the learned operation only', () => {
        const spec = makeSpec({
            experiment: {
                sweep: [
                    { parameter: 'power', values: [1, 3] },
                    { parameter: 'masking', values: [1, 2] },
                ],
            },
        });
        const points = expandSweep(spec);
        expect(points.map(p => p.params)).toEqual([
            { power: 1, masking: 1 },
            { power: 1, masking: 2 },
            { power: 3, masking: 1 },
            { power: 3, masking: 2 },
        ]);
        expect(points[2].experiment.operation.target).toEqual({ kind: 'power', order: 3 });
        expect(points[2].experiment.evaluations[0].operation!.target).toEqual({ kind: 'power', order: 3 });
        expect(points[2].experiment.network.masking).toBe(1);
    });
});

/** A point of a power x masking sweep: below the diagonal a floor, else the target. */
function litmusPoint(power: number, masking: number): PointResult {
    const floor = masking < power;
    return {
        params: { power, masking },
        metrics: { mse: floor ? 4 / masking : 1e-9, rmse: 0, maxAbsError: 0, relError: 0 },
        evaluations: [],
        steps: floor ? 3000 : 400 * power,
        stopped: floor ? 'steps' : 'target',
        wallMs: 1,
        stepsPerSecond: 1,
        lossCurve: [],
        convergence: floor ? 'floor' : 'target',
        ...(floor ? {} : { stepsBelow: { '1e-2': 100, '1e-6': 300 * power } }),
    };
}

describe('the sweep grid', () => {
    const result = (runs: PointResult[]): ExperimentResult => ({
        experiment: 'Litmus',
        operation: 'Op',
        network: 'Net',
        backend: 'cpu',
        steps: 0,
        wallMs: 0,
        stepsPerSecond: 0,
        stopped: 'steps',
        metrics: runs[0].metrics,
        evaluations: [],
        runs,
        planHash: 'h',
        startedAt: '',
        finishedAt: '',
    });
    const litmus = result([1, 2, 3].flatMap(p => [1, 2, 3].map(m => litmusPoint(p, m))));

    test('rows are the first parameter, columns the second; cells carry test mse and the verdict mark', () => {
        const grid = sweepGridOf(litmus, 1e-6)!;
        expect([grid.rowParameter, grid.columnParameter, grid.rows, grid.columns]).toEqual(['power', 'masking', [1, 2, 3], [1, 2, 3]]);
        expect(grid.cells[1][0]).toEqual({ mse: 4, convergence: 'floor' });
        expect(grid.cells[2][2]).toEqual({ mse: 1e-9, convergence: 'target', stepsTo: 900 });
        const text = sweepGridText(litmus, 1e-6);
        expect(text.slice(0, 5)).toEqual([
            'test mse: power (rows) x masking (columns)',
            'power \\ masking          1          2          3',
            '1                1.00e-9 *  1.00e-9 *  1.00e-9 *',
            '2                      4 =  1.00e-9 *  1.00e-9 *',
            '3                      4 =        2 =  1.00e-9 *',
        ]);
        expect(text).toContain('smallest masking reaching mse < 1.00e-6 (the stop rule fired, or test mse below): power 1: masking 1; power 2: masking 2; power 3: masking 3');
        expect(text).toContain('steps to training mse < 1.00e-6: power (rows) x masking (columns)');
    });

    test('the litmus line says when no masking reached the threshold, and is absent for other parameters', () => {
        const partial = result([litmusPoint(1, 1), litmusPoint(3, 1)]);
        expect(litmusSummary(sweepGridOf(partial, 1e-6)!, 1e-6)).toBe(
            'smallest masking reaching mse < 1.00e-6 (the stop rule fired, or test mse below): power 1: masking 1; power 3: none of masking 1',
        );
        // a run the stop rule ended reached the threshold even when its test mse is a little above it
        const stopped = result([{ ...litmusPoint(2, 2), metrics: { ...litmusPoint(2, 2).metrics, mse: 1.09e-6 } }]);
        expect(litmusSummary(sweepGridOf(stopped, 1e-6)!, 1e-6)).toMatch(/power 2: masking 2$/);
        const widthDepth = result([litmusPoint(1, 1)].map(p => ({ ...p, params: { width: 2, depth: 1 } })));
        expect(litmusSummary(sweepGridOf(widthDepth, 1e-6)!, 1e-6)).toBeUndefined();
        expect(sweepGridOf(result([{ ...litmusPoint(1, 1), params: { size: 5 } }]), 1e-6)).toBeUndefined();
    });
});
