// Public API of the network descriptions: layer specs, shape inference, counters, the papers' networks (docs/papers/).
export * from './spec.js';
export * from './blocks.js';
export * from './shapes.js';
export * from './counters.js';
export * from './reference.js';
export * from './retinaface.js';
export * from './tinyyolo.js';
export * from './jpu.js';
export * from './mobilenet.js';
export * from './zoo.js';
export * from './tfjs.js';
export * from './train.js';
export * from './mnist-nets.js';
