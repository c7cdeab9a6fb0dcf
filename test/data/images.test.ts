import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDepth, decodeImage, imageHeader } from '../../src/data/images.js';
import { InputError } from '../../src/harness/errors.js';
import { rgbPixels, tempDir, writeDepthPng, writePng } from './fixtures.js';

describe('image decoding (sharp)', () => {
  it('decodes a PNG to the exact RGB pixels', async () => {
    const dir = tempDir();
    const file = await writePng(join(dir, 'a.png'), 5, 4, [10, 20, 30]);
    const img = await decodeImage(file, file);
    expect([img.width, img.height, img.channels]).toEqual([5, 4, 3]);
    expect(Buffer.from(img.data)).toEqual(rgbPixels(5, 4, [10, 20, 30]));
    expect(await imageHeader(file, file)).toMatchObject({ width: 5, height: 4, format: 'png' });
  });

  it('keeps 16-bit depth values', async () => {
    const dir = tempDir();
    const file = await writeDepthPng(join(dir, 'd.png'), 3, 2, 1000);
    const d = await decodeDepth(file, file);
    expect([d.width, d.height]).toEqual([3, 2]);
    expect(Array.from(d.data)).toEqual([1000, 1100, 1200, 1001, 1101, 1201]);
  });

  it('a corrupt image is an InputError naming the file', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.jpg');
    writeFileSync(file, Buffer.from('not an image at all'));
    await expect(decodeImage(file, file)).rejects.toThrow(InputError);
    await expect(decodeImage(file, file)).rejects.toThrow(`${file}: cannot decode image`);
  });
});
