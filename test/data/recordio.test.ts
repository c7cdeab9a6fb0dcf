// RecordIO (src/data/recordio.ts): the dmlc layout, image records, insightface training folders.
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFaceRecordSet, openRecordIO, scanRecordIO, unpackImageRecord, RECORDIO_MAGIC } from '../../src/data/recordio.js';
import { faceRecordVerifier } from '../../src/data/verify.js';
import { InputError } from '../../src/core/errors.js';
import { imageRecord, jpegBytes, recordioRecord, tempDir, writeFaceRecordSet, writeFile } from './fixtures.js';

describe('RecordIO', () => {
  it('writes the dmlc layout byte for byte and reads it back', () => {
    const rec = recordioRecord(Buffer.from([1, 2, 3, 4, 5]));
    expect([...rec]).toEqual([0x0a, 0x23, 0xd7, 0xce, 5, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0]);
    const dir = tempDir();
    const file = writeFile(join(dir, 'a.rec'), Buffer.concat([rec, recordioRecord(Buffer.from('hello!!!'))]));
    expect(scanRecordIO(file)).toEqual([0, 16]);
    const r = openRecordIO(file, null);
    expect(r.keys).toEqual([0, 1]);
    expect(r.read(1).toString()).toBe('hello!!!');
    r.close();
  });

  it('joins a record that was split at the magic word', () => {
    const magic = Buffer.alloc(4);
    magic.writeUInt32LE(RECORDIO_MAGIC);
    const payload = Buffer.concat([Buffer.from('abcd'), magic, Buffer.from('efgh'), magic, Buffer.from('ij')]);
    const rec = recordioRecord(payload);
    // three parts: cflag 1 (4 bytes), cflag 2 (4 bytes), cflag 3 (2 bytes + 2 padding)
    expect(rec.readUInt32LE(4) >>> 29).toBe(1);
    expect(rec.readUInt32LE(16) >>> 29).toBe(2);
    expect(rec.readUInt32LE(28) >>> 29).toBe(3);
    const dir = tempDir();
    const file = writeFile(join(dir, 'b.rec'), Buffer.concat([rec, recordioRecord(Buffer.from('z'))]));
    const r = openRecordIO(file, null);
    expect(r.read(0)).toEqual(payload);
    expect(r.read(1).toString()).toBe('z');
    r.close();
  });

  it('unpacks image records (single label and label arrays)', () => {
    const one = unpackImageRecord(imageRecord(7, 42, Buffer.from('JPEG')), 'x');
    expect(one).toEqual({ flag: 0, label: 7, id: 42n, id2: 0n, image: Buffer.from('JPEG') });
    const many = unpackImageRecord(imageRecord([3, 5.5], 1, Buffer.alloc(0)), 'x');
    expect(many.flag).toBe(2);
    expect(Array.from(many.label as Float32Array)).toEqual([3, 5.5]);
  });

  it('reads an insightface training folder: header, identities, images', async () => {
    const dir = tempDir();
    const a = [await jpegBytes(8, 8, [200, 0, 0]), await jpegBytes(8, 8, [190, 0, 0])];
    const b = [await jpegBytes(8, 8, [0, 0, 200])];
    writeFaceRecordSet(dir, [a, b]);
    const set = openFaceRecordSet(dir);
    expect([set.classes, set.height, set.width]).toEqual([2, 8, 8]);
    expect(set.imageKeys).toEqual([1, 2, 3]);
    expect(set.identities).toEqual([
      { label: 0, start: 1, end: 3 },
      { label: 1, start: 3, end: 4 },
    ]);
    expect(set.readImage(3)).toEqual({ label: 1, image: b[0] });
    set.rec.close();
    const checks = await faceRecordVerifier({ identities: null, images: null })(dir, {});
    expect(checks.map((c) => `${c.status} ${c.check}: ${c.detail}`)).toEqual([
      'ok images: 3',
      'ok identities: 2 identity records = property classes',
      'ok identities (published): 2',
      'ok records decode: 3 of 3 records decode to 8x8',
    ]);
  });

  it('a corrupted or truncated .rec is an InputError with the offset', async () => {
    const dir = tempDir();
    const offsets = writeFaceRecordSet(dir, [[await jpegBytes(8, 8, [1, 2, 3])], [await jpegBytes(8, 8, [4, 5, 6])]]);
    const recFile = join(dir, 'train.rec');
    const bytes = readFileSync(recFile);
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(0xdeadbeef, offsets.get(2)!);
    writeFileSync(recFile, bad);
    const set = openFaceRecordSet(dir);
    expect(() => set.readImage(2)).toThrow(`${recFile} at byte offset ${offsets.get(2)}: bad RecordIO magic 0xdeadbeef (expected 0xced7230a)`);
    set.rec.close();
    writeFileSync(recFile, bytes.subarray(0, offsets.get(2)! + 12));
    expect(() => openFaceRecordSet(dir)).toThrow(InputError);
    expect(() => openFaceRecordSet(dir)).toThrow(/past the end of .*train\.rec|short read/);
    writeFileSync(join(dir, 'train.idx'), '0\t0\n1\tx\n');
    expect(() => openRecordIO(recFile)).toThrow(`${join(dir, 'train.idx')}:2: bad index line '1\tx'`);
    writeFileSync(join(dir, 'train.idx'), '0\t0\n\nabc\n');
    expect(() => openRecordIO(recFile)).toThrow(`${join(dir, 'train.idx')}:3: bad index line 'abc'`);
    writeFileSync(join(dir, 'train.idx'), '0\t0\r\n1 7 9\n');
    expect(() => openRecordIO(recFile)).toThrow(`${join(dir, 'train.idx')}:2: bad index line '1 7 9'`);
  });
});
