// The public library API of repro: what a student imports to read and reuse a method.
export * from './harness/index.js';
export { listPapers, getPaper, PAPERS } from './papers/index.js';
export { tf } from './engine/tf.js';
export * from './engine/index.js';
export { loadEmbeddedMnist, splitEmbeddedMnist, subset, type ImageSet } from './data/mnist.js';
export * from './data/index.js';
export { steSign, signNonZero, binaryDense, binaryConv2d } from './nets/binary.js';
export * from './nets/index.js';
export * from './hardware/index.js';
export * as bamsprod from './methods/bamsprod/index.js';
export * as mda from './methods/mda/index.js';
export * from './eval/index.js';
export * as faceHeads from './methods/heads/index.js';
export * as labelNoise from './methods/labelnoise/index.js';
export * as faceNets from './nets/face/index.js';
export * as sface from './methods/sface/index.js';
export * as lrfr from './methods/lrfr/index.js';
