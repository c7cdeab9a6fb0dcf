// Depth branch (docs/papers/acw.md "Backbones" [recon]: "Depth: the same family, trained with ArcFace
// on the synthetic identities"; the issue: a small CNN pre-trained with a margin-softmax head on
// virtual depth only, then frozen). The control is the same network and recipe trained only on the
// small paired split. Training is src/methods/face/train.ts (SGD 0.9, wd 5e-4, step lr, flips).
import type { Progress } from '../../core/progress.js';
import { embedImages, type FaceNet, type FaceNetConfig } from '../../nets/face/index.js';
import type { HeadConfig } from '../heads/index.js';
import { trainFaceRecognizer } from '../face/index.js';
import type { ModalityEmbeddings } from './fusion.js';

export interface DepthTrainOptions {
  net: FaceNetConfig;
  head: HeadConfig;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  progress?: Progress;
  label?: string;
}

/** Trains the depth CNN on single-channel maps (n × side²) with identity labels. */
export async function trainDepthNet(
  depth: Float32Array,
  labels: Int32Array,
  classes: number,
  o: DepthTrainOptions,
): Promise<{ net: FaceNet; losses: number[]; seconds: number }> {
  const side = o.net.inputSize;
  if ((o.net.inputChannels ?? 3) !== 1) throw new RangeError('trainDepthNet: the depth net takes one input channel');
  const data = { images: depth, labels, count: labels.length, size: side, channels: 1, classes };
  const label = o.label ?? 'depth net';
  const model = await trainFaceRecognizer(data, {
    net: o.net,
    head: o.head,
    epochs: o.epochs,
    batchSize: Math.min(o.batchSize, labels.length),
    lr: o.lr,
    seed: o.seed,
    label,
    onStart: (s) => o.progress?.start(label, s.totalSteps - s.step),
    onStep: (r) => o.progress?.tick(`loss ${r.loss.toFixed(3)}`),
  });
  model.head.dispose();
  return { net: model.net, losses: model.epochLosses, seconds: model.seconds };
}

/** Depth embeddings of n maps (inference mode, the frozen net). */
export async function embedDepth(net: FaceNet, depth: Float32Array, count: number): Promise<ModalityEmbeddings> {
  return { data: await embedImages(net, depth, count), n: count, dim: net.config.embeddingDim };
}
