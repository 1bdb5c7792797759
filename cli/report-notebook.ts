// `emn report --notebook`: a Jupyter notebook beside the report that loads the results JSON into pandas and redraws the main figures with
// matplotlib.

/** A notebook cell: Markdown text or Python code (run in order, top to bottom). */
type Cell = { kind: 'markdown' | 'code'; text: string };

const LOAD = (resultsPath: string) => `%matplotlib inline
import base64
import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

# the results file emn wrote (relative to this notebook); a history run file has the same 'result' field
RESULTS = Path(${JSON.stringify(resultsPath)})
result = json.loads(RESULTS.read_text())['result']
runs = result.get('runs') or [dict(result, params={})]


def tensor(t):
    # a weight tensor of the results file as a numpy array (stored as base64 float32, or as a list of values)
    flat = np.frombuffer(base64.b64decode(t['base64']), dtype='<f4') if 'base64' in t else np.array(t['values'], dtype=float)
    return flat.reshape(t['shape'])


print(result['experiment'], ':', result['operation'], 'learned by', result['network'], '-', len(runs), 'run(s)')`;

const TABLES = `# one row per point: its sweep values, how it stopped, its metrics, and the mse on every other evaluation set
def row(k, p):
    out = {'point': k, **p['params'], 'steps': p['steps'], 'stopped': p['stopped'], **p['metrics']}
    for e in p.get('evaluations', [])[1:]:
        out['mse on ' + e['on']] = e['mse']
    return out

points = pd.DataFrame([row(k, p) for k, p in enumerate(runs)]).set_index('point')
params = [c for c in points.columns if c in set().union(*(p['params'].keys() for p in runs))]
points`;

const EVALUATIONS = `evaluations = pd.DataFrame([{'point': k, **p['params'], **e} for k, p in enumerate(runs) for e in p.get('evaluations', [])])
evaluations`;

const LOSS = `# training loss against step, one named line per point (a seed group: its median over a min-max band)
fig, ax = plt.subplots(figsize=(8, 4.5))
groups = result.get('seedGroups') or []
in_group = {k for g in groups for k in g['runs']}
for g in groups:
    band = np.array(g['lossBand'])
    label = ', '.join(f'{k} {v}' for k, v in g['params'].items()) or f"{len(g['runs'])} seeds"
    line, = ax.plot(band[:, 0], band[:, 1], label=label + ': median')
    ax.fill_between(band[:, 0], band[:, 2], band[:, 3], color=line.get_color(), alpha=0.2, label=label + ': min-max')
colours = matplotlib.colormaps['tab20'].colors
for k, p in enumerate(runs):
    if k in in_group or not p.get('lossCurve'):
        continue
    curve = np.array(p['lossCurve'])
    label = ', '.join(f'{key} {v}' for key, v in p['params'].items()) or result['experiment']
    ax.plot(curve[:, 0], np.maximum(curve[:, 1], 1e-16), label=label, color=colours[k % len(colours)])
ax.set_yscale('log')
ax.set_xlabel('training step')
ax.set_ylabel('training loss: mean squared error (log scale)')
ax.legend(loc='upper left', bbox_to_anchor=(1.01, 1), fontsize=8)
fig.tight_layout()`;

const SWEEP = `# test mse against each swept parameter, one line per value of the others (median over seeds when seeded)
swept = [p for p in params if p != 'seed']
for x in swept:
    others = [p for p in swept if p != x]
    table = points.groupby(swept)['mse'].median().reset_index()
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, part in (table.groupby(others) if others else [((), table)]):
        key = key if isinstance(key, tuple) else (key,)
        label = ', '.join(f'{o} {v}' for o, v in zip(others, key)) or 'test mse'
        part = part.sort_values(x)
        ax.plot(part[x], part['mse'], marker='o', label=label)
    ax.set_yscale('log')
    ax.set_xlabel(x)
    ax.set_ylabel('test mse (log scale)')
    if others:
        ax.legend(title=', '.join(others), fontsize=8)
    fig.tight_layout()`;

const PATH_WEIGHTS = `# the path weights E as |E - target| on a log colour scale (pale: exact, dark red: wrong)
worst = runs[result.get('worstRun') or 0] if result.get('runs') else result
E = worst.get('pathWeights')
if E is None:
    print('these results hold no path weights E')
else:
    values = tensor(E)
    target = result.get('pathWeightTarget', 1)
    error = np.clip(np.abs(values - target), 1e-8, 1)
    fig, ax = plt.subplots(figsize=(5, 4.2))
    image = ax.imshow(error, cmap='YlOrRd', norm=matplotlib.colors.LogNorm(vmin=1e-8, vmax=1))
    fig.colorbar(image, ax=ax, label=f'|E - {target}| (log scale)')
    ax.set_xlabel('input j')
    ax.set_ylabel('output i')
    ax.set_title('E' + ('' if worst is result else ' of the worst point'))
    fig.tight_layout()`;

/** The notebook's cells: a title, the load, the tables, the loss, the sweep plots, E. */
function cells(experiment: string, resultsPath: string): Cell[] {
    return [
        {
            kind: 'markdown',
            text:
                `# ${experiment}\n\nThe results \`emn report --notebook\` reported, loaded from \`${resultsPath}\`. ` +
                'Run all cells; edit freely (`emn report` writes this file again only with `--notebook`).',
        },
        { kind: 'code', text: LOAD(resultsPath) },
        { kind: 'markdown', text: '## Points and evaluations' },
        { kind: 'code', text: TABLES },
        { kind: 'code', text: EVALUATIONS },
        { kind: 'markdown', text: '## Loss' },
        { kind: 'code', text: LOSS },
        { kind: 'markdown', text: '## Error against the swept parameters' },
        { kind: 'code', text: SWEEP },
        { kind: 'markdown', text: '## Path weights E' },
        { kind: 'code', text: PATH_WEIGHTS },
    ];
}

/** The .ipynb text (nbformat 4): `resultsPath` is the results JSON relative to the notebook's folder. */
export function reportNotebook(experiment: string, resultsPath: string): string {
    const source = (text: string) => text.split('\n').map((line, k, all) => (k < all.length - 1 ? `${line}\n` : line));
    return (
        JSON.stringify(
            {
                nbformat: 4,
                nbformat_minor: 5,
                metadata: {
                    kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
                    language_info: { name: 'python' },
                },
                cells: cells(experiment, resultsPath).map((c, k) =>
                    c.kind === 'markdown'
                        ? { cell_type: 'markdown', id: `cell-${k}`, metadata: {}, source: source(c.text) }
                        : { cell_type: 'code', id: `cell-${k}`, metadata: {}, execution_count: null, outputs: [], source: source(c.text) },
                ),
            },
            null,
            1,
        ) + '\n'
    );
}
