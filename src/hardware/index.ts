// Public API of the accelerator models: configuration, topology CSV, cycle/traffic model, reports, area.
export * from './config.js';
export * from './json-positions.js';
export * from './layer.js';
export * from './topology.js';
export * from './model.js';
export * from './traffic.js';
export * from './reports.js';
export * from './area.js';
export * from './files.js';
