// Compiles an experiment into its ExperimentPlan: every point of its sweep, and one hash for the whole (a result file's).
import { createHash } from 'node:crypto';
import { expandSweep } from '../spec/expand-sweep.js';
import type { ExperimentSpec } from '../spec/spec-types.js';
import { compileExperiment } from './compile-experiment.js';
import { canonicalJson, planHash } from './plan-hash.js';
import { isSweep, type CompiledPoint, type ExperimentPlan } from './plan-types.js';

/** Throws an Error whose message says why a point cannot be compiled. */
export function compileExperimentPlan(spec: ExperimentSpec): ExperimentPlan {
    const points = expandSweep(spec).map(p => ({ params: p.params, plan: compileExperiment(p.experiment) }));
    return { format: 'emn-experiment', experiment: spec.name, hash: experimentPlanHash(points), points };
}

/** The plan hash of an experiment: of its plan without a sweep, of every point's params and plan with one. */
function experimentPlanHash(points: CompiledPoint[]): string {
    if (!isSweep(points)) return planHash(points[0].plan);
    const text = canonicalJson(points.map(p => ({ params: p.params, plan: planHash(p.plan) })));
    return createHash('sha256').update(text).digest('hex');
}
