// The engine's browser-safe door: result and plan types, number formatting, run settings, plan rendering and the
// path-error scale. Webviews and the extension's UI import the engine only from here (nothing here touches node:*).
export * from './compiler/plan-markdown.js';
export * from './compiler/plan-types.js';
export * from './format-numbers.js';
export * from './format-tables.js';
export * from './metric-labels.js';
export * from './results/compare-runs.js';
export * from './results/path-error-scale.js';
export * from './results/result-types.js';
export * from './results/run-settings.js';
export * from './results/seed-spread.js';
export * from './run-key.js';
export * from './spec/defaults.js';
export * from './spec/spec-types.js';
export * from './results/size-figures.js';
export * from './error-message.js';
