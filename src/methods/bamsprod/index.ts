// BAMSProd (arXiv 2009.13799) and its baselines: see docs/papers/bamsprod.md.
export * from './optimizer.js';
export { sgd, type SgdOptions } from './sgd.js';
export { adam, type AdamOptions } from './adam.js';
export { amsgrad, type AmsgradForm, type AmsgradOptions } from './amsgrad.js';
export { adabound, type AdaboundForm, type AdaboundOptions } from './adabound.js';
export { bop, type BopOptions } from './bop.js';
export { bamsprod, bamsprodBounds, quantisationErrorLevel, type BamsprodOptions, type BamsprodTarget } from './bamsprod.js';
export { runCounterexample, counterexampleGradient, type CounterexampleOptions, type CounterexampleResult } from './convex.js';
export { applyGradients, trainableParam, type TrainableParam } from './variables.js';
export {
  createBinaryMlp,
  trainBinaryMlp,
  disposeBinaryMlp,
  accuracy as binaryMlpAccuracy,
  type BinaryMlp,
  type BinaryMlpOptions,
  type TrainBnnOptions,
  type BnnTrainingResult,
} from './bnn.js';
