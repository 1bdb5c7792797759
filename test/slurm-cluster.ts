// Whether a real Slurm answers here (scripts/setup-slurm.sh starts one for `npm test`), and why not: Slurm tests skip, never pass, without it.
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
    const why = process.env.EMN_SLURM_UNAVAILABLE || 'sinfo does not answer (start a one-node Slurm with: bash scripts/setup-slurm.sh start)';
    console.warn(`Slurm tests SKIPPED: ${why}`);
}
