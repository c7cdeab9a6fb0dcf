// The papers' replacement modules as spec builders, one each, so that every network that has a module
// (RetinaFace, JPU, the MNIST classifiers, the one-layer probes of the cassod and ddc tables) trains
// and is costed from the same layers.
import type { Activation, CascadeSpec, ConvSpec, LayerSpec, NetworkSpec, Shape } from './spec.js';

interface BlockOptions {
  from?: string;
  part?: string;
  tags?: string[];
}

/**
 * The DDC block (docs/papers/ddc.md): depthwise k x k at rate d, then pointwise 1x1, named
 * `<name>.dw` and `<name>.pw`. `bias` and `act` apply to both convolutions.
 */
export function separable(
  name: string,
  cin: number,
  cout: number,
  opts: BlockOptions & { k?: number; stride?: number; dilation?: number; bias?: boolean; act?: Activation } = {},
): ConvSpec[] {
  const k = opts.k ?? 3;
  const d = opts.dilation ?? 1;
  const { part, tags, bias, act } = opts;
  return [
    {
      kind: 'conv',
      name: `${name}.dw`,
      from: opts.from,
      out: cin,
      k,
      stride: opts.stride ?? 1,
      dilation: d,
      groups: 'depthwise',
      pad: (d * (k - 1)) / 2,
      part,
      tags,
      bias,
      act,
    },
    { kind: 'conv', name: `${name}.pw`, out: cout, k: 1, part, tags, bias, act },
  ];
}

/**
 * The CASSOD module (docs/papers/cassod.md "Module structure"): depthwise 2x2 at rate d, then regular
 * 2x2 at rate d, as one cascade (`<name>.0`, `<name>.1`) so the hardware keeps the intermediate map on
 * chip. No activation in between, so the pair equals one 3x3 filter at rate d (reference.ts);
 * `bias` and `act` go on the second stage only. `depthwise`: the second stage is depthwise too
 * (cout = cin), for a module that replaces a depthwise 3x3 (the JPU branches).
 */
export function cassodModule(
  name: string,
  cin: number,
  cout: number,
  rate: number,
  opts: BlockOptions & { depthwise?: boolean; bias?: boolean; act?: Activation } = {},
): CascadeSpec {
  const d = rate;
  return {
    kind: 'cascade',
    name,
    from: opts.from,
    part: opts.part,
    tags: opts.tags,
    // Pad d before the first stage and d after the second: together the 'same' padding of a 3x3 at rate d.
    stages: [
      { out: cin, k: 2, dilation: d, groups: 'depthwise', pad: [d, 0, d, 0] },
      { out: cout, k: 2, dilation: d, groups: opts.depthwise ? 'depthwise' : 1, pad: [0, d, 0, d], bias: opts.bias, act: opts.act },
    ],
  };
}

/** A network of `layers` alone on one input map: how a table costs a single layer or module. */
export function probeNetwork(name: string, input: Shape, layers: LayerSpec[]): NetworkSpec {
  return { name, inputs: { x: input }, layers };
}
