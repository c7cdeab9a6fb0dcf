// Public API of label noise: identity labels (closed-set flips, open-set outliers; SFace) and class labels
// through a row-stochastic transition matrix (symmetric, pairflip, asymmetric; MDA, JoCoR, Co-teaching).
export { chooseNoisyIndices, flipLabelsClosedSet, chooseOpenSetOutliers, applyOpenSetOutliers, type ClosedSetNoise, type OpenSetNoise } from './identity.js';
export {
  NOISE_TYPES,
  ASYMMETRIC_PAIRS,
  symmetricMatrix,
  pairflipMatrix,
  asymmetricMatrix,
  transitionMatrix,
  rowStochasticError,
  noisifyLabels,
  type NoiseType,
  type AsymmetricDataset,
  type TransitionMatrix,
  type NoisyLabels,
} from './transition.js';
