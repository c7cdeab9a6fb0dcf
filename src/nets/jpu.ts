// The Joint Pyramid Upsampling module of FastFCN's EncNet+JPU (ResNet-50), verified in
// wuhuikai/FastFCN (docs/papers/cassod.md "Segmentation variant"), and its CASSOD version [recon].
import { cassodModule, separable } from './blocks.js';
import type { LayerSpec, NetworkSpec } from './spec.js';

export type JpuVariant = 'dilated' | 'cassod';

/** Branch dilation rates of the JPU. */
export const JPU_RATES = [1, 2, 4, 8] as const;

export interface JpuOptions {
  variant?: JpuVariant;
  /** Crop side; the stage-3 map is crop/8 (ResNet-50 crop UNKNOWN; 480 per FastFCN's ResNet-101 note). */
  crop?: number;
  width?: number;
}

/**
 * conv3x3 on stages 3, 4, 5 to `width` (512); upsample to stage 3; concat (1536); four branches
 * SeparableConv2d(1536 -> 512, rate d) = depthwise 3x3 (rate d) -> pointwise 1x1; concat (2048).
 * CASSOD [recon]: the depthwise 3x3 (rate d) becomes two cascaded depthwise 2x2 (rate d).
 */
export function jpu(options: JpuOptions = {}): NetworkSpec {
  const variant = options.variant ?? 'dilated';
  const crop = options.crop ?? 480;
  const width = options.width ?? 512;
  const s3 = crop / 8;
  const layers: LayerSpec[] = [
    { kind: 'conv', name: 'conv5', from: 'c5', out: width, k: 3, pad: 1, part: 'jpu' },
    { kind: 'conv', name: 'conv4', from: 'c4', out: width, k: 3, pad: 1, part: 'jpu' },
    { kind: 'conv', name: 'conv3', from: 'c3', out: width, k: 3, pad: 1, part: 'jpu' },
    { kind: 'upsample', name: 'up5', from: 'conv5', like: 'conv3', part: 'jpu' },
    { kind: 'upsample', name: 'up4', from: 'conv4', like: 'conv3', part: 'jpu' },
    { kind: 'concat', name: 'feat', from: ['conv3', 'up4', 'up5'], part: 'jpu' },
  ];
  const cin = 3 * width;
  const branchOutputs: string[] = [];
  for (const d of JPU_RATES) {
    const b = `dilation${d}`;
    const tags = ['jpu-depthwise'];
    const [dw, pw] = separable(b, cin, width, { dilation: d, from: 'feat', part: 'jpu' });
    const depthwise = variant === 'dilated' ? { ...dw!, tags } : cassodModule(dw!.name, cin, cin, d, { from: 'feat', part: 'jpu', tags, depthwise: true });
    layers.push(depthwise, { ...pw!, tags: ['jpu-pointwise'] });
    branchOutputs.push(pw!.name);
  }
  layers.push({ kind: 'concat', name: 'out', from: branchOutputs, part: 'jpu' });
  return {
    name: `encnet-jpu-r50-${variant}`,
    inputs: { c3: { h: s3, w: s3, c: 512 }, c4: { h: s3 / 2, w: s3 / 2, c: 1024 }, c5: { h: s3 / 4, w: s3 / 4, c: 2048 } },
    layers,
  };
}
