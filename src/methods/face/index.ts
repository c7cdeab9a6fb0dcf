// Public API of the face training shared by the face papers (sface, lrfr): synthetic identity datasets,
// training a backbone + head on in-memory sets and on RecordIO training sets (records.ts), verification
// pairs and the InsightFace protocol on them.
export {
  trainFaceRecognizer,
  type FaceDataset,
  type BatchContext,
  type FaceTrainOptions,
  type FaceRunStart,
  type FaceStepRecord,
  type FaceEpochRecord,
  type TrainedFaceModel,
} from './train.js';
export { makeVerificationPairs, interleavePairs, verifyOnPairs, type ImagePair, type VerificationReport } from './verification.js';
export { synthFaceDataset, type SynthFaceDatasetOptions } from './data.js';
export { trainOnFaceRecords, trainThenMeasure, faceNetEmbedder, describeRecipe, type RecordTrainingRecipe, type RecordTrainingOptions } from './records.js';
