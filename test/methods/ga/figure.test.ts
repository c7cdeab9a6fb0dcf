// The GA figure's panels: clean, cloaked, 0.5 + amplify·(cloaked − clean), clamped and rounded to bytes.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cloakFigurePixels, cloakFigurePng } from '../../../src/methods/ga/figure.js';

describe('cloak figure', () => {
  it('puts the three panels side by side and amplifies the difference', async () => {
    const clean = Float32Array.from([0, 0.5, 1, 0.2, 0.2, 0.2]); // 1 × 2 px
    const cloaked = Float32Array.from([0.01, 0.5, 0.99, 0.3, 0.1, 0.2]);
    const rgb = cloakFigurePixels(clean, cloaked, 1, 2);
    expect([...rgb]).toEqual([0, 128, 255, 51, 51, 51, 3, 128, 252, 77, 26, 51, 153, 128, 102, 255, 0, 128]);
    const png = await cloakFigurePng(clean, cloaked, 1, 2);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([6, 1, 3]);
    expect([...data]).toEqual([...rgb]);
  });
});
