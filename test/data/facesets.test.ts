import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFaceRecordSubset, loadIdentityFolderSet, loadPairsDatasetImages, loadVerificationBinPairs } from '../../src/data/facesets.js';
import { openLfw } from '../../src/data/lfw.js';
import { openFaceRecordSet } from '../../src/data/recordio.js';
import { loadVerificationBin } from '../../src/data/verification-bin.js';
import { pickleProtocol4, pngBytes, tempDir, writeFaceRecordSet, writeFile, writePng } from './fixtures.js';

/** Solid-colour PNGs so that resizing keeps the exact value. */
async function solid(path: string, v: number): Promise<void> {
  await writePng(path, 1, 1, [v, v, v]);
}

describe('decoded face sets', () => {
  it('identity folders: sorted identities, per-identity caps, resized NHWC bytes', async () => {
    const root = tempDir();
    await solid(join(root, 'b', 'b_1.png'), 10);
    await solid(join(root, 'b', 'b_2.png'), 20);
    await solid(join(root, 'b', 'b_3.png'), 30);
    await solid(join(root, 'a', 'a_1.png'), 40);
    await solid(join(root, 'c', 'c_1.png'), 50);
    const set = await loadIdentityFolderSet(root, { size: { width: 2, height: 3 }, maxPerIdentity: 2, maxIdentities: 2 });
    expect(set.classNames).toEqual(['a', 'b']);
    expect(Array.from(set.labels)).toEqual([0, 1, 1]);
    expect([set.count, set.height, set.width, set.channels]).toEqual([3, 3, 2, 3]);
    expect(set.pixels.length).toBe(3 * 18);
    expect([set.pixels[0], set.pixels[18], set.pixels[36 + 17]]).toEqual([40, 10, 20]);
    const min2 = await loadIdentityFolderSet(root, { size: { width: 1, height: 1 }, minPerIdentity: 2 });
    expect(min2.classNames).toEqual(['b']);
  });

  it('RecordIO subset: identities from the identity records, images decoded', async () => {
    const dir = tempDir();
    writeFaceRecordSet(dir, [[await pngBytes(1, 1, [5, 5, 5]), await pngBytes(1, 1, [6, 6, 6])], [await pngBytes(1, 1, [7, 7, 7])]]);
    const rec = openFaceRecordSet(dir);
    try {
      const set = await loadFaceRecordSubset(rec, { size: { width: 1, height: 1 }, maxPerIdentity: 1 });
      expect(Array.from(set.labels)).toEqual([0, 1]);
      expect(Array.from(set.pixels)).toEqual([5, 5, 5, 7, 7, 7]);
    } finally {
      rec.rec.close();
    }
  });

  it('verification pairs from a .bin and from pairs.txt', async () => {
    const dir = tempDir();
    const imgs = await Promise.all([1, 2, 3, 4].map((v) => pngBytes(1, 1, [v, v, v])));
    const bin = loadVerificationBin(writeFile(join(dir, 'agedb_30.bin'), pickleProtocol4(imgs, [true, false])));
    const p = await loadVerificationBinPairs(bin, { width: 1, height: 1 });
    expect(Array.from(p.left.pixels)).toEqual([1, 1, 1, 3, 3, 3]);
    expect(Array.from(p.right.pixels)).toEqual([2, 2, 2, 4, 4, 4]);
    expect(p.issame).toEqual([true, false]);
    expect(Array.from(p.folds)).toEqual([0, 5]);

    const root = tempDir();
    await solid(join(root, 'A', 'A_0001.png'), 9);
    await solid(join(root, 'A', 'A_0002.png'), 8);
    await solid(join(root, 'B', 'B_0001.png'), 7);
    writeFile(join(root, 'pairs.txt'), '1\t1\nA 1 2\nA 2 B 1\n');
    const q = await loadPairsDatasetImages(openLfw(root), { width: 1, height: 1 });
    expect(Array.from(q.left.pixels)).toEqual([9, 9, 9, 8, 8, 8]);
    expect(Array.from(q.right.pixels)).toEqual([8, 8, 8, 7, 7, 7]);
    expect(q.issame).toEqual([true, false]);
    expect(Array.from(q.folds)).toEqual([0, 0]);
  });
});
