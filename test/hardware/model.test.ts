// The cycle and traffic model against the cards' formulas, with exact arithmetic.
import { describe, expect, it } from 'vitest';
import { costLayers, gateCount, lowerNetwork, makeConfig, memorySizes, type HwLayer } from '../../src/hardware/index.js';
import { cassodModule, probeNetwork, resolveNetwork, retinaFace, tinyYolo, type LayerSpec } from '../../src/nets/index.js';

const proposed = makeConfig();
const traditional = makeConfig({ dilation: 'zero-stuffed' });
const cycles = (rows: HwLayer[], cfg = proposed) => costLayers(rows, cfg).computeCycles;

/** Rows of one layer or module alone on a size x size x cin map, lowered from its spec. */
const lower = (cin: number, size: number, layer: LayerSpec) => lowerNetwork(resolveNetwork(probeNetwork('probe', { h: size, w: size, c: cin }, [layer])));
/** A k x k conv at rate d, 'same' padding (depthwise when groups is 'depthwise'). */
const convRows = (k: number, d: number, cin: number, cout: number, size: number, groups: 1 | 'depthwise' = 1) =>
  lower(cin, size, { kind: 'conv', name: 'conv', out: cout, k, dilation: d, groups, pad: 'same' });

describe('CASSOD speed-up ((k-1)d+1)^2 / k^2 (CASSOD card, claim 4)', () => {
  it('is exactly 25/9 for a 3x3 filter at rate 2', () => {
    const layer = convRows(3, 2, 16, 16, 80);
    const t = cycles(layer, traditional);
    const p = cycles(layer);
    // Integer cross-multiplication: t/p = 25/9 exactly.
    expect(t * 9).toBe(p * 25);
    expect(Number((t / p).toFixed(2))).toBe(2.78);
  });

  it.each([
    [16, 16, 80, 16, 16],
    [7, 33, 13, 8, 4],
    [64, 16, 40, 32, 8],
    [3, 5, 9, 1, 1],
  ])('does not depend on the layer shape or P_pix/P_oc (Cin %i, Cout %i, %ix%i, P_pix %i, P_oc %i)', (cin, cout, size, ppix, poc) => {
    for (const [k, d] of [
      [2, 2],
      [3, 2],
      [3, 3],
      [5, 4],
    ] as const) {
      const layer = convRows(k, d, cin, cout, size);
      const t = cycles(layer, makeConfig({ dilation: 'zero-stuffed', parallelPixels: ppix, parallelChannels: poc }));
      const p = cycles(layer, makeConfig({ parallelPixels: ppix, parallelChannels: poc }));
      expect(t * k * k).toBe(p * ((k - 1) * d + 1) ** 2);
    }
  });

  it('matches the card formula ceil(HoWo/P_pix) ceil(Cout/P_oc) Cin taps', () => {
    expect(cycles(convRows(3, 2, 20, 40, 10))).toBe(Math.ceil(100 / 16) * Math.ceil(40 / 16) * 20 * 9);
    // Depthwise: lanes read different channels: ceil(HoWo/P_pix) ceil(C/P_oc) taps.
    expect(cycles(convRows(3, 1, 40, 40, 10, 'depthwise'))).toBe(Math.ceil(100 / 16) * Math.ceil(40 / 16) * 9);
  });
});

describe('DDC card: kernel-size flexibility and depthwise support', () => {
  it.each([1, 3, 5, 7, 9])('k = %i: utilisation 1 proposed, k^2/(9 ceil(k/3)^2) with 3x3 windows', (k) => {
    const layer = convRows(k, 1, 16, 16, 32);
    const p = costLayers(layer, proposed).layers[0]!;
    const w = costLayers(layer, makeConfig({ kernelWindow: 3 })).layers[0]!;
    expect(p.computeUtilization).toBe(1);
    expect(w.computeUtilization).toBeCloseTo((k * k) / (9 * Math.ceil(k / 3) ** 2), 12);
  });

  it('dilation is free on the proposed design', () => {
    expect(cycles(convRows(3, 4, 16, 16, 40))).toBe(cycles(convRows(3, 1, 16, 16, 40)));
  });

  it('depthwise on a broadcast design is P_oc times slower', () => {
    const dw = convRows(3, 1, 64, 64, 20, 'depthwise');
    expect(cycles(dw, makeConfig({ depthwise: 'broadcast' }))).toBe(16 * cycles(dw));
  });
});

describe('DRAM traffic', () => {
  it('a fused cascade keeps its intermediate map on chip', () => {
    const rows = lower(16, 40, cassodModule('cassod', 16, 16, 2));
    const fused = costLayers(rows, proposed);
    const unfused = costLayers(rows, makeConfig({ fuseCascades: false }));
    const map = 40 * 40 * 16; // 8-bit elements
    expect(unfused.dramBytes - fused.dramBytes).toBe(2 * map);
    expect(fused.layers[1]!.flags).toContain('fused-in');
  });

  it('virtual feature maps: conv writes N instead of 2N, and the CCP pass disappears (card formulas)', () => {
    const rows = lowerNetwork(resolveNetwork(tinyYolo({ ccpLayers: [3] })));
    const virtual = costLayers(rows, proposed);
    const materialised = costLayers(rows, makeConfig({ virtualFeatureMaps: false }));
    const n = 104 * 104 * 64;
    // materialised: write 2N + read 2N + write N; virtual: write N.
    expect(materialised.dramBytes - virtual.dramBytes).toBe(2 * n + 2 * n + n - n);
    expect(virtual.maxStoredElements).toBe(416 * 416 * 16);
  });

  it('stalls appear only when DRAM bandwidth is limited', () => {
    const rows = convRows(1, 1, 256, 256, 4);
    expect(costLayers(rows, proposed).layers[0]!.stallCycles).toBe(0);
    const limited = costLayers(rows, makeConfig({ dramBytesPerCycle: 1 })).layers[0]!;
    const bytes = 4 * 4 * 256 + 256 * 256 + 4 * 4 * 256;
    expect(limited.totalCycles).toBe(bytes);
    expect(limited.stallCycles).toBe(bytes - limited.computeCycles);
  });

  it('RetinaFace on default hardware: cycles equal MACs / 256 where every lane is busy', () => {
    const cost = costLayers(lowerNetwork(resolveNetwork(retinaFace())), proposed);
    const stem = cost.layers.find((l) => l.name === 'body.stem')!;
    expect(stem.computeCycles).toBe(Math.ceil((320 * 320) / 16) * 1 * 3 * 9);
  });
});

describe('area model (Condensation card, "Hardware overhead")', () => {
  it('adds P_oc/G comparators and one P_pix x P_oc tile', () => {
    const on = gateCount(makeConfig());
    const off = gateCount(makeConfig({ crossChannelPooling: false }));
    expect(on.total - off.total).toBeCloseTo(8 * 8 * (7 + 2.33), 9);
    const rows = lowerNetwork(resolveNetwork(tinyYolo()));
    expect(memorySizes(makeConfig(), rows).crossChannelBufferBytes).toBe(256);
    expect(memorySizes(makeConfig({ crossChannelPooling: false }), rows).crossChannelBufferBytes).toBe(0);
    expect(memorySizes(makeConfig({ featureSramBytes: 1000, weightSramBytes: 24 }), rows).total).toBe(1280);
  });
});
