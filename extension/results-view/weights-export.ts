// Turns a run's weight tensors into the JSON and CSV files the results view exports (no vscode imports: unit-testable).
import type { ExperimentResult, WeightTensor } from '../../engine/view.js';
import type { WeightsFormat } from './messages.js';

/** The weights of one sweep point, or of the experiment itself when it has no sweep. */
function selectWeights(
    result: ExperimentResult,
    point?: number,
): { weights: WeightTensor[]; pathWeights?: WeightTensor; params?: Record<string, number | string> } {
    const run = point !== undefined ? result.runs?.[point] : undefined;
    if (run) return { weights: run.weights ?? [], pathWeights: run.pathWeights, params: run.params };
    return { weights: result.weights ?? [], pathWeights: result.pathWeights };
}

export function weightsToJson(result: ExperimentResult, point?: number): string {
    const { weights, pathWeights, params } = selectWeights(result, point);
    return (
        JSON.stringify(
            {
                experiment: result.experiment,
                operation: result.operation,
                network: result.network,
                planHash: result.planHash,
                ...(params ? { params } : {}),
                weights,
                ...(pathWeights ? { pathWeights } : {}),
            },
            null,
            2,
        ) + '\n'
    );
}

/** One row per entry: tensor name, one index column per dimension (blank past a tensor's rank), value. */
export function weightsToCsv(result: ExperimentResult, point?: number): string {
    const { weights, pathWeights } = selectWeights(result, point);
    const tensors = pathWeights ? [...weights, pathWeights] : weights;
    const rank = Math.max(1, ...tensors.map(t => t.shape.length));
    const header = ['tensor', ...Array.from({ length: rank }, (_, i) => `i${i}`), 'value'];
    const lines = [header.join(',')];
    for (const t of tensors) {
        const index = new Array<number>(t.shape.length).fill(0);
        for (const value of t.values) {
            const cols = Array.from({ length: rank }, (_, d) => (d < index.length ? String(index[d]) : ''));
            lines.push([csvField(t.name), ...cols, String(value)].join(','));
            // row-major increment of the multi-index
            for (let d = index.length - 1; d >= 0; d--) {
                if (++index[d] < t.shape[d]) break;
                index[d] = 0;
            }
        }
    }
    return lines.join('\n') + '\n';
}

export function weightsFile(result: ExperimentResult, format: WeightsFormat, point?: number): string {
    return format === 'json' ? weightsToJson(result, point) : weightsToCsv(result, point);
}

function csvField(text: string): string {
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
