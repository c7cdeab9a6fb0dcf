// Tiny-YOLOv2 face detector (darknet yolov2-tiny-voc topology, 1 class, 5 anchors) and its
// Condensation-Net version with cross-channel pooling (docs/papers/condensation.md "Networks").
import type { LayerSpec, NetworkSpec } from './spec.js';

export interface TinyYoloOptions {
  /** Input side (square); darknet default 416. */
  size?: number;
  classes?: number;
  anchors?: number;
  /**
   * Conv layers (numbered 1..9 in order) given G x filters followed by cross-channel pooling CCP(G)
   * (Condensation-Net [recon]); empty gives plain Tiny-YOLOv2. The 1x1 head (conv9) is allowed but unusual.
   */
  ccpLayers?: number[];
  /** CCP group size G (default 2 in docs/papers/condensation.md: max over adjacent pairs). */
  ccpGroup?: number;
}

/** Output widths of conv1..conv8 (3x3); conv9 is the 1x1 detection head. */
const WIDTHS = [16, 32, 64, 128, 256, 512, 1024, 1024];

export function tinyYolo(options: TinyYoloOptions = {}): NetworkSpec {
  const size = options.size ?? 416;
  const head = (options.anchors ?? 5) * (5 + (options.classes ?? 1));
  const ccp = new Set(options.ccpLayers ?? []);
  const group = options.ccpGroup ?? 2;
  for (const i of ccp) if (!Number.isInteger(i) || i < 1 || i > 9) throw new RangeError(`ccp layer ${i} is not a conv layer 1..9`);
  const layers: LayerSpec[] = [];
  const addConv = (i: number, out: number, k: number) => {
    const tags = ccp.has(i) ? ['ccp'] : [];
    layers.push({ kind: 'conv', name: `conv${i}`, out: ccp.has(i) ? out * group : out, k, pad: (k - 1) / 2, part: 'body', tags });
    if (ccp.has(i)) layers.push({ kind: 'ccp', name: `ccp${i}`, group, part: 'body', tags });
  };
  WIDTHS.forEach((width, idx) => {
    const i = idx + 1;
    addConv(i, width, 3);
    if (i <= 5) layers.push({ kind: 'maxpool', name: `pool${i}`, k: 2, stride: 2, part: 'body' });
    // darknet's 6th maxpool has stride 1 and pads bottom/right so the map stays 13x13.
    if (i === 6) layers.push({ kind: 'maxpool', name: 'pool6', k: 2, stride: 1, pad: [0, 1, 0, 1], part: 'body' });
  });
  addConv(9, head, 1);
  const suffix = ccp.size ? `-ccp${[...ccp].sort((a, b) => a - b).join('')}` : '';
  return { name: `tiny-yolov2-face${suffix}`, inputs: { image: { h: size, w: size, c: 3 } }, layers };
}
