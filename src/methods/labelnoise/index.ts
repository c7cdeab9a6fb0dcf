// Public API of identity label noise (closed-set flips, open-set outliers).
export {
  chooseNoisyIndices,
  flipLabelsClosedSet,
  chooseOpenSetOutliers,
  applyOpenSetOutliers,
  type ClosedSetNoise,
  type OpenSetNoise,
} from './noise.js';
