// Hyperparameters of the heads per training set (docs/papers/sface.md "Hyperparameters" [code] and "Baselines").
import type { ArcFaceParams, CosFaceParams, NormFaceParams, SFaceParams } from './losses.js';

export type TrainingSet = 'casia' | 'vggface2' | 'ms1mv2' | 'torchDefault';

/** SFace s, k, a, b: CASIA a = 0.87, b = 1.20; VGGFace2 0.88, 1.25; MS1MV2 0.90, 1.20; PyTorch argparse default 0.80, 1.23. */
export const SFACE_PARAMS: Record<TrainingSet, SFaceParams> = {
  casia: { s: 64, k: 80, a: 0.87, b: 1.2 },
  vggface2: { s: 64, k: 80, a: 0.88, b: 1.25 },
  ms1mv2: { s: 64, k: 80, a: 0.9, b: 1.2 },
  torchDefault: { s: 64, k: 80, a: 0.8, b: 1.23 },
};

/** [recon] NormFace at the scale of the margin heads (s = 64), so that it is CosFace/ArcFace without a margin. */
export const NORMFACE_PARAMS: NormFaceParams = { s: 64 };

/** face.evoLVe code defaults. */
export const COSFACE_PARAMS: CosFaceParams = { s: 64, m: 0.35 };
export const ARCFACE_PARAMS: ArcFaceParams = { s: 64, m: 0.5 };
