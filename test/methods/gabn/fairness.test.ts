// STD and SER on the RFW commercial-API fixture (docs/papers/gabn.md "RFW reference table").
import { describe, expect, it } from 'vitest';
import { fairnessOf, RFW_COMMERCIAL_APIS } from '../../../src/methods/gabn/index.js';

const groups = (api: keyof typeof RFW_COMMERCIAL_APIS) => {
  const r = RFW_COMMERCIAL_APIS[api];
  return [r.Caucasian, r.Indian, r.Asian, r.African];
};

describe('fairness metrics on the RFW fixture', () => {
  it("reproduces the card's Microsoft STD ≈ 4.32 (ddof 0) and SER ≈ 1.95 at the card's precision", () => {
    const f = fairnessOf(groups('Microsoft'));
    // The card rounds 4.31496 (4.315 to three decimals) half-up to 4.32.
    expect(f.std.toFixed(3)).toBe('4.315');
    expect(Math.round(Math.round(f.std * 1000) / 10) / 100).toBe(4.32);
    expect(f.ser.toFixed(2)).toBe('1.95');
    expect(f.ser).toBeCloseTo((100 - 75.83) / (100 - 87.6), 12);
    expect(f.mean).toBeCloseTo(81.4825, 10);
    expect(f.gap).toBeCloseTo(11.77, 10);
    expect(fairnessOf(groups('Microsoft'), 1).std.toFixed(2)).toBe('4.98'); // the sample std the card does not use
  });

  it('gives the hand-computed STD and SER of every API row (Cau, Ind, Asi, Afr)', () => {
    // [calc] sqrt(Σ(a − mean)²/4) and (100 − min)/(100 − max), computed separately.
    const hand: Record<keyof typeof RFW_COMMERCIAL_APIS, [number, number]> = {
      Microsoft: [4.3149587, 24.17 / 12.4],
      'Face++': [2.6551507, 12.5 / 6.1],
      Baidu: [4.8163549, 22.03 / 9.73],
      Amazon: [2.0528197, 15.13 / 9.55],
    };
    for (const api of Object.keys(hand) as (keyof typeof hand)[]) {
      const f = fairnessOf(groups(api));
      expect(f.std, api).toBeCloseTo(hand[api][0], 6);
      expect(f.ser, api).toBeCloseTo(hand[api][1], 12);
    }
  });

  it('SER is infinite when the best group makes no error, and inputs outside 0..100 are refused', () => {
    expect(fairnessOf([100, 90, 95, 99]).ser).toBe(Infinity);
    expect(fairnessOf([90, 90, 90, 90])).toMatchObject({ std: 0, ser: 1, gap: 0 });
    expect(() => fairnessOf([0.9, 101])).toThrow(RangeError);
    expect(() => fairnessOf([90], 1)).toThrow(RangeError);
  });
});
