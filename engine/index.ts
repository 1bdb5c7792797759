// The engine's Node door: compile a spec into a plan, train it (worker pool, SIMD or tfjs), keep the results, run
// sweeps on Slurm. The CLI and the language server import the engine only from here (or view.ts); it imports nothing
// from Langium, VS Code or language-server/.
export * from './view.js';
export * from './compiler/compile-sweep.js';
export * from './cost/cost-estimate.js';
export * from './cost/step-rates.js';
export * from './cost/sweep-preview.js';
export * from './cost/training-limits.js';
export * from './results/collect-points.js';
export * from './results/compared-run.js';
export * from './results/failure-policy.js';
export * from './results/heatmap-svg.js';
export * from './results/point-files.js';
export * from './results/results-store.js';
export * from './results/run-history.js';
export * from './slurm/batch-script.js';
export * from './slurm/slurm-commands.js';
export * from './slurm/submit-sweep.js';
export * from './slurm/sweep-jobs.js';
export * from './slurm/sweep-manifest.js';
export * from './slurm/task-markers.js';
export * from './training/run-points.js';
export * from './training/worker-client.js';
export * from './results/results-repository.js';
export * from './train-and-save.js';
export * from './training/training-failure.js';
export * from './training/kernel-registry.js';
export * from './graphs/matrix-market.js';
export * from './graphs/normalize.js';
