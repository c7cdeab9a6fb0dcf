import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDepth, decodeImage, imageHeader } from '../../src/data/images.js';
import { InputError } from '../../src/core/errors.js';
import { bmpBytes, rgbPixels, tempDir, writeDepthPng, writeFile, writePng } from './fixtures.js';

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

describe('BMP (decoded by the project, sharp has no BMP loader)', () => {
  it('24-bit bottom-up and 8-bit palette BMPs decode to the exact pixels', async () => {
    const dir = tempDir();
    const rgb = writeFile(
      join(dir, 'c.bmp'),
      bmpBytes(3, 2, (x, y) => [10 * x, 20 * y, 7], 24),
    );
    const img = await decodeImage(rgb, rgb);
    expect([img.width, img.height]).toEqual([3, 2]);
    expect(Array.from(img.data)).toEqual([0, 0, 7, 10, 0, 7, 20, 0, 7, 0, 20, 7, 10, 20, 7, 20, 20, 7]);
    expect(await imageHeader(rgb, rgb)).toMatchObject({ width: 3, height: 2, format: 'bmp' });
    const grey = writeFile(
      join(dir, 'd.bmp'),
      bmpBytes(2, 2, (x, y) => 100 * y + x, 8),
    );
    const g = await decodeImage(grey, grey, { channels: 1 });
    expect(Array.from(g.data)).toEqual([0, 1, 100, 101]);
    const depth = await decodeDepth(grey, grey);
    expect(Array.from(depth.data)).toEqual([0, 257, 25700, 25957]); // 8-bit depth is scaled to 16 bits (x257)
  });

  it('a truncated or unsupported BMP is an InputError with the offset', async () => {
    const dir = tempDir();
    const bytes = bmpBytes(3, 2, () => [1, 2, 3], 24);
    const cut = writeFile(join(dir, 'cut.bmp'), bytes.subarray(0, 60));
    await expect(decodeImage(cut, cut)).rejects.toThrow(`${cut} at byte offset 60: short read: 3x2 pixels at 24 bits need 78 bytes, the file has 60`);
    const rle = Buffer.from(bytes);
    rle.writeUInt32LE(1, 30);
    const f = writeFile(join(dir, 'rle.bmp'), rle);
    await expect(decodeImage(f, f)).rejects.toThrow(`${f} at byte offset 28: unsupported BMP variant (24 bits per pixel, compression 1)`);
  });
});
