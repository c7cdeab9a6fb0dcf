// GA (gradient accumulation) and OPOM class-universal cloaks: docs/papers/ga.md.
export * from './losses.js';
export * from './cloak.js';
export * from './figure.js';
export * from './metrics.js';
export * from './oracle.js';
export * from './surrogate.js';
