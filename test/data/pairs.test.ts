import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLfw, openXqlfw } from '../../src/data/lfw.js';
import { loadPairImages, parsePairsFile, resolveAllPairs } from '../../src/data/pairs.js';
import { RFW_GROUPS, openRfw } from '../../src/data/rfw.js';
import { verifyLfw } from '../../src/data/verify.js';
import { DatasetMissingError, InputError } from '../../src/core/errors.js';
import { rgbPixels, tempDir, writeFile, writePng } from './fixtures.js';

/** An LFW-style folder: 3 people, 2 folds x (1 same + 1 different). */
async function lfwFixture(root: string, pairsName = 'pairs.txt', header = '2\t1'): Promise<string> {
  await writePng(join(root, 'Ann_Lee', 'Ann_Lee_0001.png'), 4, 3, [10, 0, 0]);
  await writePng(join(root, 'Ann_Lee', 'Ann_Lee_0002.png'), 4, 3, [20, 0, 0]);
  await writePng(join(root, 'Bo', 'Bo_0001.png'), 4, 3, [30, 0, 0]);
  await writePng(join(root, 'Cy_D', 'Cy_D_0001.png'), 4, 3, [40, 0, 0]);
  await writePng(join(root, 'Cy_D', 'Cy_D_0002.png'), 4, 3, [50, 0, 0]);
  const lines = [header, 'Ann_Lee\t1\t2', 'Ann_Lee\t2\tBo\t1', 'Cy_D 1 2', 'Bo 1 Cy_D 2'].filter((l) => l !== '');
  return writeFile(join(root, pairsName), `${lines.join('\n')}\n`);
}

describe('LFW pairs format', () => {
  it('parses header, folds, same and different pairs exactly', async () => {
    const root = tempDir();
    const file = await lfwFixture(root);
    const list = parsePairsFile(file);
    expect([list.header, list.folds, list.perFold]).toEqual([true, 2, 1]);
    expect(list.pairs).toEqual([
      { a: { name: 'Ann_Lee', index: 1 }, b: { name: 'Ann_Lee', index: 2 }, same: true, fold: 0, line: 2 },
      { a: { name: 'Ann_Lee', index: 2 }, b: { name: 'Bo', index: 1 }, same: false, fold: 0, line: 3 },
      { a: { name: 'Cy_D', index: 1 }, b: { name: 'Cy_D', index: 2 }, same: true, fold: 1, line: 4 },
      { a: { name: 'Bo', index: 1 }, b: { name: 'Cy_D', index: 2 }, same: false, fold: 1, line: 5 },
    ]);
  });

  it('resolves and decodes the pair images', async () => {
    const root = tempDir();
    await lfwFixture(root);
    const ds = openLfw(root);
    expect(resolveAllPairs(ds)).toEqual({ pairs: 4, images: 5 });
    const [a, b] = await loadPairImages(ds, 1);
    expect(Buffer.from(a.data)).toEqual(rgbPixels(4, 3, [20, 0, 0]));
    expect(Buffer.from(b.data)).toEqual(rgbPixels(4, 3, [30, 0, 0]));
  });

  it('a bad pairs line is an InputError with file:line', async () => {
    const root = tempDir();
    const file = await lfwFixture(root);
    writeFileSync(file, '2\t1\nAnn_Lee\t1\t2\nAnn_Lee 2 Bo\nCy_D 1 2\nBo 1 Cy_D 2\n');
    expect(() => parsePairsFile(file)).toThrow(InputError);
    expect(() => parsePairsFile(file)).toThrow(`${file}:3: bad pairs line 'Ann_Lee 2 Bo'`);
    writeFileSync(file, '2\t1\nAnn_Lee\t1\tx\n');
    expect(() => parsePairsFile(file)).toThrow(`${file}:2: bad pairs line 'Ann_Lee\t1\tx': image number 'x' is not a positive integer`);
  });

  it('a truncated pairs file is caught by the header count', async () => {
    const root = tempDir();
    const file = await lfwFixture(root);
    writeFileSync(file, '2\t1\nAnn_Lee\t1\t2\nAnn_Lee 2 Bo 1\nCy_D 1 2\n');
    expect(() => parsePairsFile(file)).toThrow(`${file}:4: header promises 2 x 2 x 1 = 4 pairs, the file has 3`);
  });

  it('a missing image is an InputError naming the pairs line and the image', async () => {
    const root = tempDir();
    const file = await lfwFixture(root);
    rmSync(join(root, 'Cy_D', 'Cy_D_0002.png'));
    expect(() => resolveAllPairs(openLfw(root))).toThrow(`${file}:4: missing image ${join(root, 'Cy_D', 'Cy_D_0002')}.{jpg,jpeg,png}`);
    await expect(verifyLfw(root, {})).rejects.toThrow(InputError);
  });

  it('verifyLfw reports counts against the published ones as warnings', async () => {
    const root = tempDir();
    await lfwFixture(root);
    const checks = await verifyLfw(root, {});
    expect(checks.find((c) => c.check === 'identities')).toEqual({
      check: 'identities',
      status: 'warn',
      detail: '3, published 5749: a subset or a different release',
    });
    expect(checks.find((c) => c.check === 'pairs resolvable')).toEqual({
      check: 'pairs resolvable',
      status: 'ok',
      detail: 'all 4 pairs resolve to 5 image files',
    });
    expect(checks.find((c) => c.check === 'images decode')!.detail).toBe('5 of 5 images decoded: 4x3 (5)');
  });

  it('a missing dataset folder is DatasetMissingError', () => {
    expect(() => openLfw('/nonexistent/lfw')).toThrow(DatasetMissingError);
  });
});

describe('XQLFW and RFW layouts', () => {
  it('XQLFW: xqlfw_pairs.txt with images in xqlfw_aligned_112/', async () => {
    const root = tempDir();
    await lfwFixture(join(root, 'xqlfw_aligned_112'), '../xqlfw_pairs.txt', '');
    const ds = openXqlfw(root);
    expect(ds.pairs.header).toBe(false);
    expect(ds.pairs.pairs.map((p) => p.same)).toEqual([true, false, true, false]);
    expect(resolveAllPairs(ds).pairs).toBe(4);
  });

  it('RFW: four groups with headerless pairs files', async () => {
    const root = tempDir();
    for (const g of RFW_GROUPS) await lfwFixture(join(root, 'test', 'data', g), join('..', '..', 'txts', g, `${g}_pairs.txt`), '');
    const rfw = openRfw(root);
    expect(Object.keys(rfw)).toEqual(['African', 'Asian', 'Caucasian', 'Indian']);
    expect(resolveAllPairs(rfw.Indian)).toEqual({ pairs: 4, images: 5 });
    expect(rfw.Asian.pairs.file).toBe(join(root, 'test', 'txts', 'Asian', 'Asian_pairs.txt'));
  });
});
