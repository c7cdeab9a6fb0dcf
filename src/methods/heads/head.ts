// A head as a module with its own trainable proxies: Softmax, NormFace, CosFace, ArcFace or SFace.
import { tf } from '../../engine/tf.js';
import { oneHotLabels, xavierNormal, type Scalar, type Tensor2D, type Variable } from './common.js';
import {
  arcfaceLoss,
  cosfaceLoss,
  normfaceLoss,
  sfaceLoss,
  softmaxLoss,
  type ArcFaceParams,
  type CosFaceParams,
  type NormFaceParams,
  type SFaceParams,
} from './losses.js';
import { ARCFACE_PARAMS, COSFACE_PARAMS, NORMFACE_PARAMS, SFACE_PARAMS } from './params.js';

export const HEAD_KINDS = ['softmax', 'normface', 'cosface', 'arcface', 'sface'] as const;
export type HeadKind = (typeof HEAD_KINDS)[number];

export type HeadConfig =
  | { kind: 'softmax' }
  | { kind: 'normface'; params: NormFaceParams }
  | { kind: 'cosface'; params: CosFaceParams }
  | { kind: 'arcface'; params: ArcFaceParams }
  | { kind: 'sface'; params: SFaceParams };

/** The default configuration of each head (code defaults; SFace at the CASIA values). */
export function defaultHeadConfig(kind: HeadKind): HeadConfig {
  switch (kind) {
    case 'softmax':
      return { kind };
    case 'normface':
      return { kind, params: NORMFACE_PARAMS };
    case 'cosface':
      return { kind, params: COSFACE_PARAMS };
    case 'arcface':
      return { kind, params: ARCFACE_PARAMS };
    case 'sface':
      return { kind, params: SFACE_PARAMS.casia };
  }
}

export interface ClassificationHead {
  config: HeadConfig;
  /** C × d class proxies (softmax: the FC weight). */
  weight: Variable;
  /** Softmax only: the FC bias. */
  bias?: Variable;
  variables: Variable[];
  /** The training loss of a batch of embeddings (N × d) with integer labels. */
  loss(embeddings: Tensor2D, labels: Int32Array): Scalar;
  dispose(): void;
}

export function createHead(config: HeadConfig, embeddingDim: number, classes: number, seed: number): ClassificationHead {
  const weight = xavierNormal([classes, embeddingDim], seed);
  const bias = config.kind === 'softmax' ? tf.variable(tf.zeros([classes])) : undefined;
  const variables = bias ? [weight, bias] : [weight];
  return {
    config,
    weight,
    bias,
    variables,
    loss(x, labels) {
      const oneHot = oneHotLabels(labels, classes);
      switch (config.kind) {
        case 'softmax':
          return softmaxLoss(x, weight as unknown as Tensor2D, oneHot, bias as unknown as tf.Tensor1D);
        case 'normface':
          return normfaceLoss(x, weight as unknown as Tensor2D, oneHot, config.params);
        case 'cosface':
          return cosfaceLoss(x, weight as unknown as Tensor2D, oneHot, config.params);
        case 'arcface':
          return arcfaceLoss(x, weight as unknown as Tensor2D, oneHot, config.params);
        case 'sface':
          return sfaceLoss(x, weight as unknown as Tensor2D, oneHot, config.params).loss;
      }
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
