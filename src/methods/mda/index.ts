// Public API of the MDA reproduction (its transition-matrix label noise is in ../labelnoise): schedules,
// small-loss selection, losses, trainers.
export * from './schedule.js';
export * from './selection.js';
export * from './losses.js';
export * from './flip.js';
export { TorchAdam } from './adam.js';
export { buildNet, type Net, type MdaNetSpec, type InputShape } from './nets.js';
export * from './train.js';
export * from './report.js';
