// Public API of the face classification heads (Softmax, NormFace, CosFace, ArcFace, SFace).
export { cosineLogits, meanCrossEntropy, oneHotLabels, stopGradient, xavierNormal } from './common.js';
export {
  softmaxLogits,
  softmaxLoss,
  normfaceLogits,
  normfaceLoss,
  cosfaceLogits,
  cosfaceLoss,
  arcfaceLogits,
  arcfaceLoss,
  sfaceIntraWeight,
  sfaceInterWeight,
  sfaceLoss,
  type NormFaceParams,
  type CosFaceParams,
  type ArcFaceParams,
  type SFaceParams,
  type SFaceLossParts,
} from './losses.js';
export { SFACE_PARAMS, NORMFACE_PARAMS, COSFACE_PARAMS, ARCFACE_PARAMS, type TrainingSet } from './params.js';
export { HEAD_KINDS, createHead, defaultHeadConfig, type HeadKind, type HeadConfig, type ClassificationHead } from './head.js';
