import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRgbdFolders, loadRgbdSample } from '../../src/data/rgbd.js';
import { createFaceGenerator, sampleSeedOf, writeSynthFolder } from '../../src/data/synth3dmm/index.js';
import { rgbdVerifier } from '../../src/data/verify.js';
import { tempDir } from './fixtures.js';

describe('RGB-D loader on the folders `repro data synth` writes', () => {
  const ids = 3;
  const perId = 2;
  const size = 16;
  const seed = 5;

  it('reads every colour/depth pair with its identity; depth is round(depth * 65535) of the generator', async () => {
    const out = join(tempDir(), 'synth');
    writeSynthFolder({ out, ids, perId, seed, size, folds: 1, pairsPerFold: 1 });
    const set = loadRgbdFolders(out, 'synthetic RGB-D');
    expect(set.subjects).toEqual(['synth_00001', 'synth_00002', 'synth_00003']);
    expect(set.samples.length).toBe(ids * perId);
    expect(set.unpairedColour).toEqual([]);
    expect(set.unpairedDepth).toEqual([]);
    for (const s of set.samples) {
      const file = `${s.key.slice(s.key.indexOf('/') + 1)}.png`;
      expect(s.colour).toBe(join(out, s.subject, file));
      expect(s.depth).toBe(join(out, s.subject, 'depth', file));
      expect(file.startsWith(`${s.subject}_000`)).toBe(true);
    }
    // sample synth_00002_0002 (identity 1, image 2): exact pixels against a fresh render
    const sample = set.samples.find((s) => s.key === 'synth_00002/synth_00002_0002')!;
    const face = createFaceGenerator({ seed, size })
      .identity(1)
      .render(sampleSeedOf(seed, 1, 1));
    const decoded = await loadRgbdSample(sample);
    expect([decoded.depth.width, decoded.depth.height, decoded.depth.channels]).toEqual([size, size, 1]);
    const expectedDepth = Array.from(face.depth, (d) => Math.round(Math.min(1, Math.max(0, d)) * 65535));
    expect(Array.from(decoded.depth.data)).toEqual(expectedDepth);
    expect(expectedDepth.some((v) => v > 0) && expectedDepth.some((v) => v === 0)).toBe(true); // face and background
    expect(Array.from(decoded.colour.data)).toEqual(Array.from(face.rgb));
  });

  it('the RGB-D verifier accepts the folder; without depth files nothing pairs', async () => {
    const dir = tempDir();
    writeSynthFolder({ out: join(dir, 'with'), ids: 2, perId: 2, seed, size, folds: 1, pairsPerFold: 1 });
    const checks = await rgbdVerifier('synthetic', 2)(join(dir, 'with'), {});
    expect(checks.slice(0, 3)).toEqual([
      { check: 'subjects', status: 'ok', detail: '2 (as published)' },
      { check: 'colour/depth pairs', status: 'ok', detail: '4' },
      { check: 'unpaired files', status: 'ok', detail: '0' },
    ]);
    writeSynthFolder({ out: join(dir, 'without'), ids: 2, perId: 2, seed, size, folds: 1, pairsPerFold: 1, depth: false });
    const set = loadRgbdFolders(join(dir, 'without'), 'synthetic');
    expect(set.samples).toEqual([]);
  });
});
