// Public API of the face backbones.
export {
  FACE_ARCHS,
  FACE_NET_PRESETS,
  createFaceNet,
  embedImages,
  normalizeInput,
  mirrorImages,
  type FaceArch,
  type FaceNet,
  type FaceNetConfig,
} from './backbones.js';
export { batchNorm, conv, depthwise, dense, prelu, dropout, createStore, type ParamStore } from './layers.js';
