// insightface verification .bin files (src/data/verification-bin.ts, read with src/data/pickle.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPickle, PickleTuple } from '../../src/data/pickle.js';
import { decodeBinImage, loadVerificationBin } from '../../src/data/verification-bin.js';
import { InputError } from '../../src/core/errors.js';
import { pickleProtocol2, pickleProtocol4, pngBytes, rgbPixels, tempDir, writeFile } from './fixtures.js';

describe('insightface verification .bin (pickle)', () => {
  it('reads the exact bytes of a hand-built protocol-2 pickle', () => {
    // ( [b'ab', b'c'], [True] ) as Python 2 writes it
    const bytes = Buffer.from([
      0x80, 0x02, 0x5d, 0x71, 0x00, 0x28, 0x55, 0x02, 0x61, 0x62, 0x71, 0x01, 0x55, 0x01, 0x63, 0x71, 0x02, 0x65, 0x5d, 0x71, 0x03, 0x88, 0x61, 0x86, 0x71,
      0x04, 0x2e,
    ]);
    const v = readPickle(bytes, 'x.bin');
    expect(v).toBeInstanceOf(PickleTuple);
    expect((v as PickleTuple).items).toEqual([[Buffer.from('ab'), Buffer.from('c')], [true]]);
  });

  for (const [name, build] of [
    ['protocol 2 (Python 2 str)', pickleProtocol2],
    ['protocol 4 (Python 3 bytes)', pickleProtocol4],
  ] as const) {
    it(`loads images and issame flags: ${name}`, async () => {
      const dir = tempDir();
      const images = [await pngBytes(3, 2, [1, 2, 3]), await pngBytes(3, 2, [9, 9, 9]), Buffer.from('xyz'), await pngBytes(2, 2, [0, 0, 0])];
      const file = writeFile(join(dir, 'lfw.bin'), build(images, [true, false]));
      const set = loadVerificationBin(file);
      expect(set.name).toBe('lfw');
      expect(set.issame).toEqual([true, false]);
      expect(set.images).toEqual(images);
      const img = await decodeBinImage(set, 1);
      expect(Buffer.from(img.data)).toEqual(rgbPixels(3, 2, [9, 9, 9]));
      await expect(decodeBinImage(set, 2)).rejects.toThrow(`${file} (image 2): cannot decode image`);
    });
  }

  it('truncation and wrong structure are InputErrors with the offset', () => {
    const dir = tempDir();
    const whole = pickleProtocol2([Buffer.alloc(300, 7), Buffer.alloc(5, 1)], [true]);
    const file = writeFile(join(dir, 'cfp_fp.bin'), whole.subarray(0, 100));
    expect(() => loadVerificationBin(file)).toThrow(InputError);
    expect(() => loadVerificationBin(file)).toThrow(`${file} at byte offset 100: short read: opcode at 6 needs 300 more bytes, the file ends`);
    writeFileSync(file, pickleProtocol2([Buffer.alloc(3)], [true]));
    expect(() => loadVerificationBin(file)).toThrow(`${file}: 1 images for 1 pairs; expected 2`);
    writeFileSync(file, Buffer.from([0x80, 0x02, 0x7d, 0x2e])); // a dict
    expect(() => loadVerificationBin(file)).toThrow(`${file} at byte offset 0: the pickle is not a tuple`);
    writeFileSync(file, Buffer.from([0x80, 0x02, 0x81, 0x2e])); // NEWOBJ: never executed
    expect(() => loadVerificationBin(file)).toThrow(`${file} at byte offset 2: unsupported pickle opcode 0x81`);
  });
});
