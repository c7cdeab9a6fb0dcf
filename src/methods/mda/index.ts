// Public API of the MDA reproduction: label noise, schedules, small-loss selection, losses, trainers.
export * from './noise.js';
export * from './schedule.js';
export * from './selection.js';
export * from './losses.js';
export * from './flip.js';
export { TorchAdam } from './adam.js';
export { buildNet, type Net, type NetSpec, type InputShape } from './nets.js';
export * from './train.js';
export * from './report.js';
