// Compiles every point of an experiment's sweep and hashes the whole experiment (one hash for a result file).
import { createHash } from 'node:crypto';
import { expandSweep } from '../spec/resolve-spec.js';
import type { ExperimentSpec, SweepPoint } from '../spec/spec-types.js';
import { compileExperiment } from './compile-experiment.js';
import { canonicalJson, planHash } from './plan-hash.js';
import type { CompiledPlan } from './plan-types.js';

export interface CompiledPoint {
    params: SweepPoint['params'];
    plan: CompiledPlan;
}

export function compileSweep(spec: ExperimentSpec): CompiledPoint[] {
    return expandSweep(spec).map(p => ({ params: p.params, plan: compileExperiment(p.experiment) }));
}

/** The plan hash of an experiment: of its plan without a sweep, of every point's params and plan with one. */
export function experimentPlanHash(points: CompiledPoint[]): string {
    if (points.length === 1 && Object.keys(points[0].params).length === 0) return planHash(points[0].plan);
    const text = canonicalJson(points.map(p => ({ params: p.params, plan: planHash(p.plan) })));
    return createHash('sha256').update(text).digest('hex');
}
