import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFaceRecordSet, openRecordIO, scanRecordIO, unpackImageRecord, RECORDIO_MAGIC } from '../../src/data/recordio.js';
import { readPickle, PickleTuple } from '../../src/data/pickle.js';
import { decodeBinImage, loadVerificationBin } from '../../src/data/verification-bin.js';
import { faceRecordVerifier } from '../../src/data/verify.js';
import { InputError } from '../../src/core/errors.js';
import { imageRecord, jpegBytes, pickleProtocol2, pickleProtocol4, pngBytes, recordioRecord, rgbPixels, tempDir, writeFaceRecordSet, writeFile } from './fixtures.js';

describe('insightface verification .bin (pickle)', () => {
  it('reads the exact bytes of a hand-built protocol-2 pickle', () => {
    // ( [b'ab', b'c'], [True] ) as Python 2 writes it
    const bytes = Buffer.from([0x80, 0x02, 0x5d, 0x71, 0x00, 0x28, 0x55, 0x02, 0x61, 0x62, 0x71, 0x01, 0x55, 0x01, 0x63, 0x71, 0x02, 0x65, 0x5d, 0x71, 0x03, 0x88, 0x61, 0x86, 0x71, 0x04, 0x2e]);
    const v = readPickle(bytes, 'x.bin');
    expect(v).toBeInstanceOf(PickleTuple);
    expect((v as PickleTuple).items).toEqual([[Buffer.from('ab'), Buffer.from('c')], [true]]);
  });

  for (const [name, build] of [['protocol 2 (Python 2 str)', pickleProtocol2], ['protocol 4 (Python 3 bytes)', pickleProtocol4]] as const) {
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
    expect(set.identities).toEqual([{ label: 0, start: 1, end: 3 }, { label: 1, start: 3, end: 4 }]);
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
