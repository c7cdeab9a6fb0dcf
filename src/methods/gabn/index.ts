// GABN (Gradient Attention Balance Network, CVPRW 2023, arXiv 2304.02284): the library code of
// `repro gabn` (docs/papers/gabn.md). The paper's body was not readable: every equation is the card's [recon].
export { gradientReversal } from './grl.js';
export {
  gradCam,
  normalizeMaps,
  poolToGrid,
  gradientAttentionMaps,
  inputGradientMaps,
  cosineToReference,
  leaveOneOutReferences,
  attentionArea,
  type GamWeights,
} from './gam.js';
export { topNCellMask, cellMaskToPixels, eraseCells, type EraseFill } from './erase.js';
export { createGroupDiscriminator, correctCount, type GroupDiscriminator } from './discriminator.js';
export { fairnessOf, RFW_COMMERCIAL_APIS, type GroupFairness } from './fairness.js';
export { createGabnNet, embedWithGabnNet, imageBatch, type FaceImageData, type GabnNet, type GabnNetConfig } from './net.js';
export { trainGabn, type GroupedFaceSet, type GabnMethod, type GabnTrainOptions, type TopNErasing, type TrainedGabn } from './train.js';
export { pairVerificationAccuracy, testAttentionMaps, meanMap, groupAreas, groupProbeAccuracy, type ProbeOptions } from './evaluate.js';
export { runGabnExperiment, methodSpec, GABN_METHODS, type GabnMethodName, type GroupTestSet, type ExperimentConfig, type RunResult } from './experiment.js';
export { toneGain, recolourFace, matchedToneRenders, toneAttention, type ToneRenders, type ToneRenderOptions, type ToneAttention } from './premise.js';
export { attentionGridPng, heatColour, type AttentionGridOptions } from './picture.js';
