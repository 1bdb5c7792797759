// The engine's browser-safe door: result and plan types, number formatting, run settings, plan rendering, the
// path-error scale and the figures (Vega-Lite specs, drawn by the results view and `emn report`). Webviews and the
// extension's UI import the engine only from here (nothing here touches node:*).
export * from './compiler/plan-markdown.js';
export * from './compiler/plan-types.js';
export * from './format-numbers.js';
export * from './format-tables.js';
export * from './metric-labels.js';
export * from './results/compare-runs.js';
export * from './results/convergence-text.js';
export * from './results/learned-map-text.js';
export * from './results/path-error-scale.js';
export * from './results/result-types.js';
export * from './results/run-settings.js';
export * from './results/seed-spread.js';
export * from './results/sweep-grid.js';
export * from './run-key.js';
export * from './spec/defaults.js';
export * from './spec/spec-types.js';
export * from './results/size-series.js';
export * from './error-message.js';
export * from './training/convergence.js';
export * from './figures/compare-figures.js';
export * from './figures/figure-theme.js';
export * from './figures/heatmap-figures.js';
export * from './figures/line-figure.js';
export * from './figures/loss-figure.js';
export * from './figures/study-figures.js';
export * from './figures/sweep-figures.js';
