// Small specs for the protocol, fault, limit and security tests: n = 3, trains a few hundred steps in well under a second.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingFinishedParams } from '../language-server/protocol.js';
import type { TrainingLspClient } from './training-lsp-client.js';

/** `ns` suffixes the declarations' names, for tests that want them distinct. */
export const tinySpec = (steps: number, seed = 1, experiment = 'Quick', ns = '') => `operation Tiny3${ns} {
    matvec
    size 3
    sparsity 0.3
}

network Small${ns} {
    width 2
    depth 1
}

experiment ${experiment} {
    learn Tiny3${ns} with Small${ns}
    optimizer adam(lr 0.02)
    batch 16
    steps ${steps}
    seed ${seed}
    evaluate 200 samples
}
`;

/** Every file of a folder with its bytes (sub-folders as '<folder>'): "nothing changed" is this map before and after. */
export function snapshot(folder: string): Record<string, string> {
    return Object.fromEntries(
        readdirSync(folder, { withFileTypes: true })
            .sort((a, b) => a.name.localeCompare(b.name))
            .map(e => [e.name, e.isFile() ? readFileSync(join(folder, e.name), 'utf8') : '<folder>']),
    );
}

/**
 * Opens a spec in its own subfolder of the client's workspace, so its results folder is its own; returns its URI and
 * folder (where its .emn-results go).
 */
export async function openAlone(client: TrainingLspClient, name: string, text: string): Promise<{ uri: string; dir: string }> {
    const sub = name.replace(/\.emn$/, '');
    const dir = join(client.folder, sub);
    mkdirSync(dir, { recursive: true });
    return { uri: await client.open(`${sub}/${name}`, text), dir };
}

/**
 * Opens `name` (a 100-step tinySpec) in the client's workspace and trains it to completion: the good result a fault test
 * then puts at risk. Returns its URI, the finished run, its results folder and that folder's snapshot.
 */
export async function trainGood(
    client: TrainingLspClient,
    name: string,
): Promise<{ uri: string; good: TrainingFinishedParams; resultsDir: string; before: Record<string, string> }> {
    const uri = await client.open(name, tinySpec(100));
    const from = client.messages.length;
    await client.execute('emn.server.train', [uri, 'Quick']);
    const good = await client.finished(uri, 'Quick', from);
    if (good.outcome !== 'completed') throw new Error(`${name}: the good run ${good.outcome}: ${good.message}`);
    const resultsDir = join(client.folder, '.emn-results', name);
    return { uri, good, resultsDir, before: snapshot(resultsDir) };
}
