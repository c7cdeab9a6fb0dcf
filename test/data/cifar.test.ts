// CIFAR binary batches (src/data/cifar.ts; the python version: cifar-python.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCifar, readCifarBinary, toImageSet } from '../../src/data/cifar.js';
import { tempDir, writeFile } from './fixtures.js';

/** One CIFAR record: label byte(s) then planar pixels R = 1, G = 2, B = 3 + record index. */
function cifarRecord(labels: number[], r: number): Buffer {
  const px = Buffer.alloc(3072);
  px.fill(1, 0, 1024);
  px.fill(2, 1024, 2048);
  px.fill(3 + r, 2048, 3072);
  px[0] = 200; // R at (0,0)
  px[1024 + 33] = 201; // G at (1,1)
  return Buffer.concat([Buffer.from(labels), px]);
}

describe('CIFAR binary', () => {
  it('CIFAR-10: labels and channel-planar pixels become NHWC', () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'test_batch.bin'), Buffer.concat([cifarRecord([3], 0), cifarRecord([9], 1)]));
    writeFile(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
    const raw = readCifarBinary(file, 'cifar10');
    expect(Array.from(raw.labels)).toEqual([3, 9]);
    expect(Array.from(raw.pixels.subarray(0, 6))).toEqual([200, 2, 3, 1, 2, 3]);
    expect(raw.pixels[3 * 33 + 1]).toBe(201);
    expect(raw.pixels[3072 + 2]).toBe(4);
    const set = loadCifar(dir, 'cifar10', 'test');
    expect(set.count).toBe(2);
    expect(set.classNames[3]).toBe('cat');
    const f = toImageSet(set);
    expect(f.images[0]).toBeCloseTo(200 / 255, 7);
    expect([f.height, f.width, f.channels, f.classes]).toEqual([32, 32, 3, 10]);
  });

  it('CIFAR-100: coarse and fine labels', () => {
    const dir = tempDir();
    writeFile(join(dir, 'test.bin'), Buffer.concat([cifarRecord([19, 99], 0), cifarRecord([0, 4], 1)]));
    const set = loadCifar(dir, 'cifar100', 'test');
    expect(Array.from(set.labels)).toEqual([99, 4]);
    expect(Array.from(set.coarseLabels!)).toEqual([19, 0]);
  });

  it('a truncated batch or a bad label is an InputError with the offset', () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'test_batch.bin'), Buffer.concat([cifarRecord([3], 0), cifarRecord([9], 1)]).subarray(0, 5000));
    expect(() => readCifarBinary(file, 'cifar10')).toThrow(
      `${file} at byte offset 3073: short read: 5000 bytes is not a whole number of 3073-byte cifar10 records (record 1 is cut off)`,
    );
    writeFileSync(file, Buffer.concat([cifarRecord([3], 0), cifarRecord([10], 1)]));
    expect(() => readCifarBinary(file, 'cifar10')).toThrow(`${file} at byte offset 3073: label 10 of record 1 is outside 0-9`);
    writeFileSync(file, Buffer.concat([cifarRecord([20, 5], 0)]));
    expect(() => readCifarBinary(file, 'cifar100')).toThrow(`${file} at byte offset 0: coarse label 20 of record 0 is outside 0-19`);
  });
});
