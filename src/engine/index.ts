// Public API of the training engine: backend selection, the wasm training kernels, trainable dilated
// convolutions, training guards and resumable checkpoints.
export { BACKEND_CHOICES, selectBackend, type BackendChoice, type BackendSelection } from './backend.js';
export { activateWebgpu, probeWebgpu, type WebgpuAdapterInfo, type WebgpuProbe } from './webgpu.js';
export { installedWasmKernels, registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm-kernels.js';
export {
  dilatedConv2d,
  dilatedDepthwiseConv2d,
  spaceToBatchPlan,
  type ConvPadding,
  type DilatedConvOptions,
  type DilationRate,
  type FusedActivation,
  type SpaceToBatchPlan,
} from './dilated.js';
export { assertFiniteLoss, NonFiniteLossError } from './guards.js';
export {
  CHECKPOINT_FILE,
  loadCheckpoint,
  removeCheckpoint,
  saveCheckpoint,
  type CheckpointFaults,
  type CheckpointProgress,
  type TrainingState,
} from './checkpoint.js';
