// ACW (Confidence-Aware RGB-D Face Recognition via Virtual Depth Synthesis, arXiv 2403.06529): the
// library code of `repro acw` (docs/papers/acw.md). Every equation here is the card's [recon] reading.
export { KINECT_TEST, degradeDepth, randomDegradation, holeFractionOf, type KinectDegradation } from './degrade.js';
export {
  acwFuse,
  acwScores,
  balancedPairs,
  confidences,
  cosineMatrix,
  createConfidenceHead,
  embeddingFeatures,
  modalityWeights,
  trainAcw,
  weightedScoreFusion,
  type AcwModel,
  type AcwTrainOptions,
  type ConfidenceHead,
  type FusedScores,
  type ModalityEmbeddings,
  type SamplePair,
} from './fusion.js';
export { trainFeatureFusion, type FeatureFusionModel, type FeatureFusionOptions } from './feature-fusion.js';
export { trainDepthNet, embedDepth, type DepthTrainOptions } from './depth.js';
export { rank1, tarAtFarMatrix, selectRows, meanStd } from './evaluate.js';
export { snapshotWeights, changedValues } from './frozen.js';
export {
  PROBE_SUBSETS,
  CONDITIONS,
  conditionOptions,
  renderRgbdSet,
  renderVirtualDepth,
  ageingAppearance,
  lowQualityRgb,
  depthAt,
  indicesOf,
  type Condition,
  type ProbeSubset,
  type RgbdFaces,
  type RgbdSetOptions,
  type VirtualDepthOptions,
} from './data.js';
export { runBenchmark, METHODS, type Method, type BenchmarkConfig, type BenchmarkResult, type BenchmarkSplit, type SeedResult } from './benchmark.js';
export {
  loadLock3dfaceProtocol,
  lock3dClips,
  galleryFrame,
  normaliseDepth,
  LOCK3DFACE_SUBSETS,
  type Lock3dClip,
  type Lock3dOptions,
  type Lock3dSplit,
} from './lock3dface.js';
