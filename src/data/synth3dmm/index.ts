// Synthetic 3DMM RGB-D faces: public API (see generator.ts for the usage comment).
export { loadCanonicalMesh, parseGeometryPipelineMetadata, parseMesh3d, FEATURE_LOOPS, LANDMARK, MESH_VERTEX_COUNT, MESH_TRIANGLE_COUNT, type CanonicalMesh } from './mesh.js';
export { createFace3dmm, composeShape, sampleIdentity, GROUPS, GROUP_NAMES, EXPRESSION_NAMES, ID_DIM, EXP_DIM, DEFAULT_MODEL_SEED, type Face3dmm, type GroupName, type GroupAppearance, type IdentityParams } from './model.js';
export {
  createFaceGenerator,
  generateFaceSet,
  sampleSeedOf,
  mixSeed,
  toFloatImage,
  depthImage,
  rotationMatrix,
  similarityTransform,
  ARCFACE_TEMPLATE_112,
  DEPTH_SPAN_112,
  DEPTH_FLOOR,
  type FaceGenerator,
  type FaceGeneratorOptions,
  type FaceIdentity,
  type FaceSample,
  type FaceSet,
  type FaceSetOptions,
  type OcclusionOptions,
  type PoseRange,
} from './generator.js';
export { degradeImage, gaussianBlur, resize, resizeArea, resizeBicubic, resizeBilinear, type DegradeOptions, type FloatImage, type ResampleMethod } from './resample.js';
export { encodePngRgb8, encodePngGray16 } from './png.js';
export { writeSynthFolder, makeSynthPairs, pairsText, synthName, type SynthFolderOptions, type SynthFolderSummary, type SynthPair } from './folder.js';
