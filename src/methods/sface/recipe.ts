// SFace's own training recipe: the CASIA-WebFace schedule of the paper's torch code. The SFace head lives in
// ../heads (sfaceLoss), the shared face training in ../face.
import { FACE_NET_PRESETS } from '../../nets/face/index.js';
import type { RecordTrainingRecipe } from '../face/index.js';
import { defaultHeadConfig } from '../heads/index.js';

/** The CASIA-WebFace recipe of docs/papers/sface.md "Training recipe" (torch version): IR-50, SFace head with CASIA's a, b. */
export const SFACE_CASIA_RECIPE: RecordTrainingRecipe = {
  net: { ...FACE_NET_PRESETS.ir50, widths: [...FACE_NET_PRESETS.ir50.widths], blocks: [...FACE_NET_PRESETS.ir50.blocks] },
  head: defaultHeadConfig('sface'),
  epochs: 125,
  batchSize: 256,
  lr: 0.1,
  lrStepEpochs: [50, 70, 80],
  momentum: 0.9,
  weightDecay: 5e-4,
};
