// Public API of the evaluation metrics.
export {
  VERIFICATION_PROTOCOLS,
  INSIGHTFACE_THRESHOLDS,
  thresholdGrid,
  kFoldRanges,
  l2NormalizeRows,
  flipSum,
  interleavedPairSquaredL2,
  kFoldThresholdAccuracy,
  insightfaceVerification,
  pairCosineSimilarity,
  cosineVerification,
  type VerificationProtocol,
  type EmbeddingMatrix,
  type FoldResult,
  type FoldOptions,
  type PairEmbeddings,
  type VerificationResult,
  type ThresholdCriterion,
  type Confusion,
} from './verification.js';
export { splitScores, tarAtFar, rocAuc, classificationAccuracy, argmaxRows, type TarAtFar } from './roc.js';
