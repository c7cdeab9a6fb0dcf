// Public API of the SFace reproduction's library code: the heads live in ../heads, label noise in
// ../labelnoise; this module trains and verifies face recognisers on in-memory identity datasets and on
// RecordIO training sets (records.ts).
export {
  trainFaceRecognizer,
  makeVerificationPairs,
  interleavePairs,
  verifyOnPairs,
  type FaceDataset,
  type BatchContext,
  type FaceTrainOptions,
  type TrainedFaceModel,
  type ImagePair,
  type VerificationReport,
} from './train.js';
export { synthFaceDataset, type SynthFaceDatasetOptions } from './data.js';
export { SFACE_CASIA_RECIPE, trainOnFaceRecords, trainThenMeasure, faceNetEmbedder, describeRecipe, type RecordTrainingRecipe, type RecordTrainingOptions } from './records.js';
