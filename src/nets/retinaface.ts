// RetinaFace with a MobileNetV1-0.25 backbone, FPN and SSH context modules, as in
// biubug6/Pytorch_Retinaface (docs/papers/cassod.md "Networks"), and the variants of docs/papers/cassod.md and ddc.md.
import type { ConvSpec, LayerSpec, NetworkSpec } from './spec.js';
import { cassodModule, separable } from './blocks.js';

/**
 * original: biubug6's network.
 * dilated:  the "previous work" of CASSOD [recon]: the SSH 16->16 layers are 3x3 dilated convolutions.
 * cassod:   each of those dilated 3x3 layers becomes depthwise 2x2 (rate d) -> regular 2x2 (rate d) [recon].
 * ddc:      docs/papers/ddc.md variant V1 [recon]: every 3x3 conv in the SSH modules becomes depthwise 3x3
 *           (dilated, same rates) -> pointwise 1x1.
 */
export type RetinaFaceVariant = 'original' | 'dilated' | 'cassod' | 'ddc';

/** SSH layer names (biubug6) and their output channels in SSH(64, 64). */
export const SSH_LAYERS = ['conv3X3', 'conv5X5_1', 'conv5X5_2', 'conv7X7_2', 'conv7x7_3'] as const;
export type SshLayer = (typeof SSH_LAYERS)[number];

/**
 * Dilation rates of the "previous work" context module [recon, docs/papers/cassod.md "Networks": rate 2 for the
 * 5x5-branch layer, rate 3 for the 7x7-branch layers]. Layers not listed stay 3x3 with rate 1.
 */
export const DEFAULT_CONTEXT_RATES: Partial<Record<SshLayer, number>> = { conv5X5_2: 2, conv7X7_2: 3, conv7x7_3: 3 };

/** Tag of the layers the CASSOD table compares ("dilated convolution layers of the context module"). */
export const CONTEXT_DILATED_TAG = 'context-dilated';

export interface RetinaFaceOptions {
  variant?: RetinaFaceVariant;
  /** Input side (square); biubug6 trains at 640. */
  size?: number;
  /** Dilation rates of the dilated context layers (variants dilated, cassod, ddc). */
  contextRates?: Partial<Record<SshLayer, number>>;
  anchors?: number;
  /**
   * Where the ddc variant puts depthwise+pointwise pairs (docs/papers/ddc.md "Candidate configurations"):
   * 'ssh' every SSH 3x3 (V1, the default), 'ssh16' only the SSH 16->16 layers, 'fpn' the FPN merge convs.
   */
  ddcScope?: DdcScope[];
}

export type DdcScope = 'ssh' | 'ssh16' | 'fpn';

function conv(name: string, out: number, k: number, stride: number, part: string, from?: string): ConvSpec {
  return { kind: 'conv', name, from, out, k, stride, pad: (k - 1) / 2, part };
}

/** MobileNetV1-0.25 body: stem + 13 depthwise-separable blocks (biubug6 `MobileNetV1`). */
function backbone(): LayerSpec[] {
  const blocks: [number, number, number][] = [
    [8, 16, 1],
    [16, 32, 2],
    [32, 32, 1],
    [32, 64, 2],
    [64, 64, 1], // stage1 (stride 8)
    [64, 128, 2],
    [128, 128, 1],
    [128, 128, 1],
    [128, 128, 1],
    [128, 128, 1],
    [128, 128, 1], // stage2 (16)
    [128, 256, 2],
    [256, 256, 1], // stage3 (32)
  ];
  const layers: LayerSpec[] = [conv('body.stem', 8, 3, 2, 'backbone')];
  blocks.forEach(([cin, cout, stride], i) => {
    layers.push(...separable(`body.dw${i + 1}`, cin, cout, { stride, part: 'backbone' }));
  });
  return layers;
}

/** One SSH(64, 64) module on `input` (biubug6 `SSH`), in the chosen variant. */
function ssh(level: number, input: string, opts: Required<Pick<RetinaFaceOptions, 'variant' | 'contextRates' | 'ddcScope'>>): LayerSpec[] {
  const p = `ssh${level}`;
  const part = 'ssh';
  // Output name of each SSH layer (a CASSOD cascade `x` ends in its stage `x.1`).
  const outName = {} as Record<SshLayer, string>;
  const spec: Record<SshLayer, { from: () => string; out: number; cin: number }> = {
    conv3X3: { from: () => input, out: 32, cin: 64 },
    conv5X5_1: { from: () => input, out: 16, cin: 64 },
    conv5X5_2: { from: () => outName.conv5X5_1, out: 16, cin: 16 },
    conv7X7_2: { from: () => outName.conv5X5_1, out: 16, cin: 16 },
    conv7x7_3: { from: () => outName.conv7X7_2, out: 16, cin: 16 },
  };
  const layers: LayerSpec[] = [];
  for (const l of SSH_LAYERS) {
    const name = `${p}.${l}`;
    const from = spec[l].from();
    const { out, cin } = spec[l];
    outName[l] = name;
    const rate = opts.variant === 'original' ? undefined : opts.contextRates[l];
    const d = rate ?? 1;
    const tags = rate !== undefined ? [CONTEXT_DILATED_TAG] : [];
    const ddcHere = opts.variant === 'ddc' && (opts.ddcScope.includes('ssh') || (opts.ddcScope.includes('ssh16') && cin === 16));
    if (ddcHere) {
      // DDC V1: depthwise 3x3 (rate d) -> pointwise 1x1, for every SSH 3x3 conv.
      const [dw, pw] = separable(name, cin, out, { dilation: d, from, part, tags: [...tags, 'ddc'] });
      layers.push(dw!, { ...pw!, name });
    } else if (opts.variant === 'cassod' && rate !== undefined) {
      // CASSOD [recon]: depthwise 2x2 (rate d) -> regular 2x2 (rate d).
      layers.push(cassodModule(name, cin, out, d, { from, part, tags }));
      outName[l] = `${name}.1`;
    } else {
      layers.push({ kind: 'conv', name, from, out, k: 3, dilation: d, pad: d, part, tags });
    }
  }
  layers.push({ kind: 'concat', name: `${p}.out`, from: [outName.conv3X3, outName.conv5X5_2, outName.conv7x7_3], part });
  return layers;
}

/** The full detector: backbone, FPN (3 levels, 64 channels), SSH x3 and the three heads per level. */
export function retinaFace(options: RetinaFaceOptions = {}): NetworkSpec {
  const variant = options.variant ?? 'original';
  const size = options.size ?? 640;
  const anchors = options.anchors ?? 2;
  const contextRates = options.contextRates ?? DEFAULT_CONTEXT_RATES;
  const ddcScope = options.ddcScope ?? ['ssh'];
  const merge = (name: string): LayerSpec[] =>
    variant === 'ddc' && ddcScope.includes('fpn')
      ? (() => {
          const [dw, pw] = separable(name, 64, 64, { part: 'fpn', tags: ['ddc'] });
          return [dw!, { ...pw!, name }];
        })()
      : [conv(name, 64, 3, 1, 'fpn')];
  const stage1 = 'body.dw5.pw';
  const stage2 = 'body.dw11.pw';
  const stage3 = 'body.dw13.pw';
  const fpn: LayerSpec[] = [
    conv('fpn.output1', 64, 1, 1, 'fpn', stage1),
    conv('fpn.output2', 64, 1, 1, 'fpn', stage2),
    conv('fpn.output3', 64, 1, 1, 'fpn', stage3),
    { kind: 'upsample', name: 'fpn.up3', from: 'fpn.output3', like: 'fpn.output2', part: 'fpn' },
    { kind: 'add', name: 'fpn.add2', from: ['fpn.output2', 'fpn.up3'], part: 'fpn' },
    ...merge('fpn.merge2'),
    { kind: 'upsample', name: 'fpn.up2', from: 'fpn.merge2', like: 'fpn.output1', part: 'fpn' },
    { kind: 'add', name: 'fpn.add1', from: ['fpn.output1', 'fpn.up2'], part: 'fpn' },
    ...merge('fpn.merge1'),
  ];
  const features = ['fpn.merge1', 'fpn.merge2', 'fpn.output3'];
  const sshLayers = features.flatMap((f, i) => ssh(i + 1, f, { variant, contextRates, ddcScope }));
  const heads: LayerSpec[] = [];
  const outputs: string[] = [];
  features.forEach((_, i) => {
    for (const [head, per] of [
      ['class', 2],
      ['bbox', 4],
      ['landmark', 10],
    ] as const) {
      const name = `head.${head}${i + 1}`;
      heads.push(conv(name, anchors * per, 1, 1, 'head', `ssh${i + 1}.out`));
      outputs.push(name);
    }
  });
  return {
    name: `retinaface-mnet0.25-${variant}${variant === 'ddc' && ddcScope.join() !== 'ssh' ? `-${ddcScope.join('+')}` : ''}`,
    inputs: { image: { h: size, w: size, c: 3 } },
    layers: [...backbone(), ...fpn, ...sshLayers, ...heads],
    outputs,
  };
}
