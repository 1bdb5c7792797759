// Whether a real Slurm answers here (scripts/setup-slurm.sh starts one for `npm test`), and why not: Slurm tests skip, never pass, without
// it.
import { spawnSync } from 'node:child_process';

/** sinfo answers and shows a node that can run jobs. */
function slurmAnswers(): boolean {
    const r = spawnSync('sinfo', ['-h', '-N', '-o', '%t'], { encoding: 'utf8', timeout: 10_000 });
    return r.status === 0 && /^(idle|mix|alloc)/m.test(r.stdout ?? '');
}

export const slurmAvailable = slurmAnswers();

/**
 * `npm test` (scripts/run-tests.mjs) sets EMN_SLURM_EXPECTED=1 after it brought Slurm up: then a Slurm that does not
 * answer is a failure, not a skip. It sets EMN_SLURM_UNAVAILABLE to the set-up script's reason when there is none.
 */
export const slurmExpected = process.env.EMN_SLURM_EXPECTED === '1';

if (!slurmAvailable) {
    const why =
        process.env.EMN_SLURM_UNAVAILABLE || 'sinfo does not answer (start a one-node Slurm with: bash scripts/setup-slurm.sh start)';
    console.warn(`Slurm tests SKIPPED: ${why}`);
}

/** Resolves once `check` gives a value (looked at every `everyMs`), or rejects naming `what` after `deadlineMs`. */
export async function waitUntil<T>(
    check: () => T | undefined | Promise<T | undefined>,
    what: string,
    deadlineMs = 120_000,
    everyMs = 200,
): Promise<T> {
    const end = Date.now() + deadlineMs;
    for (;;) {
        const value = await check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > end) throw new Error(`waited ${deadlineMs / 1000} s for ${what}`);
        await new Promise(r => setTimeout(r, everyMs));
    }
}

/** The one node of the test cluster (sinfo's first node). */
export function slurmNode(): string {
    return spawnSync('sinfo', ['-h', '-N', '-o', '%N'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
}

/** scontrol update of the node's state (down with a reason, or resume); throws with scontrol's words when it refuses. */
export function setNodeState(node: string, state: 'down' | 'resume'): void {
    const r = spawnSync(
        'scontrol',
        ['update', `nodename=${node}`, `state=${state}`, ...(state === 'down' ? ['reason=emn-test-node-lost'] : [])],
        { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`scontrol update state=${state}: ${r.stderr}`);
}

/** Whether the node takes jobs again (idle, mixed or allocated; not down or draining). */
export function nodeUp(node: string): boolean {
    const r = spawnSync('sinfo', ['-h', '-N', '-n', node, '-o', '%t'], { encoding: 'utf8' });
    return /^(idle|mix|alloc)$/.test(r.stdout.trim());
}

/** The state squeue gives each task of an array job ("RUNNING", "NODE_FAIL", ...), by task index. */
export function arrayTaskStates(jobId: string): Map<number, string> {
    const r = spawnSync('squeue', ['-h', '-r', '-t', 'all', '-j', jobId, '-o', '%K|%T'], { encoding: 'utf8' });
    return new Map(
        (r.stdout ?? '')
            .split('\n')
            .filter(l => l.includes('|'))
            .map(l => {
                const [task, state] = l.trim().split('|');
                return [Number(task), state];
            }),
    );
}
