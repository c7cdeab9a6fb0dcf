// MXNet RecordIO (dmlc-core recordio.cc) and MXNet image records (mx.recordio.pack), the format of
// the insightface training sets CASIA-WebFace (faces_webface_112x112) and MS1MV2 (faces_emore).
// Record: uint32 magic 0xced7230a, uint32 lrec = cflag << 29 | length, data, zero-padded to 4 bytes.
// cflag 0 = whole record; 1/2/3 = first/middle/last part of a record that contained the magic word
// at a 4-aligned offset; the parts are joined with the magic word between them.
// Image record: IRHeader {uint32 flag, float32 label, uint64 id, uint64 id2}; if flag > 0, flag
// float32 labels follow; then the encoded image.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { corruptFile, requireDatasetDir, requireFile } from './fileio.js';

export const RECORDIO_MAGIC = 0xced7230a;
const LENGTH_MASK = (1 << 29) - 1;

export interface RecordIOFile {
  recFile: string;
  /** key -> byte offset of the record's first part, from the `.idx` file (or a scan). */
  offsets: Map<number, number>;
  /** Keys in index-file order. */
  keys: number[];
  fileSize: number;
  read(key: number): Buffer;
  close(): void;
}

/** Reads the record starting at `offset` of an open file; returns it and the offset after it. */
export function readRecordAt(fd: number, file: string, offset: number, fileSize: number): { data: Buffer; next: number } {
  const parts: Buffer[] = [];
  let pos = offset;
  for (;;) {
    if (pos + 8 > fileSize) throw corruptFile(file, { offset: pos }, `short read: record header needs 8 bytes, the file ends at ${fileSize}`);
    const head = Buffer.alloc(8);
    readSync(fd, head, 0, 8, pos);
    const magic = head.readUInt32LE(0);
    if (magic !== RECORDIO_MAGIC)
      throw corruptFile(
        file,
        { offset: pos },
        `bad RecordIO magic 0x${magic.toString(16)} (expected 0xced7230a)`,
        'the .rec file is corrupted or the .idx does not belong to it; download the dataset again',
      );
    const lrec = head.readUInt32LE(4);
    const cflag = lrec >>> 29;
    const length = lrec & LENGTH_MASK;
    const padded = (length + 3) & ~3;
    if (pos + 8 + length > fileSize) throw corruptFile(file, { offset: pos }, `short read: record of ${length} bytes, the file ends at ${fileSize}`);
    if (parts.length === 0 && cflag !== 0 && cflag !== 1) throw corruptFile(file, { offset: pos }, `record starts with continuation flag ${cflag}`);
    const data = Buffer.alloc(length);
    readSync(fd, data, 0, length, pos + 8);
    if (parts.length > 0) {
      const magicBytes = Buffer.alloc(4);
      magicBytes.writeUInt32LE(RECORDIO_MAGIC);
      parts.push(magicBytes);
    }
    parts.push(data);
    pos += 8 + padded;
    if (cflag === 0 || cflag === 3) return { data: Buffer.concat(parts), next: Math.min(pos, fileSize) };
  }
}

/** Parses `train.idx`: lines `key<TAB>offset` (read byte-wise: MS1MV2's index has 5.9M lines). */
export function readRecordIndex(idxFile: string): { keys: number[]; offsets: Map<number, number> } {
  requireFile(idxFile, 'RecordIO index');
  const buf = readFileSync(idxFile);
  const keys: number[] = [];
  const offsets = new Map<number, number>();
  let line = 1;
  let pos = 0;
  while (pos < buf.length) {
    let end = buf.indexOf(0x0a, pos);
    if (end < 0) end = buf.length;
    let key = -1;
    let offset = -1;
    let field = 0;
    let value = 0;
    let digits = 0;
    let bad = false;
    for (let i = pos; i <= end; i++) {
      const c = i < end ? buf[i]! : 0x0a;
      if (c >= 0x30 && c <= 0x39) {
        value = value * 10 + (c - 0x30);
        digits++;
      } else if (c === 0x09 || c === 0x20 || c === 0x0a || c === 0x0d) {
        if (digits) {
          if (field === 0) key = value;
          else if (field === 1) offset = value;
          else bad = true;
          field++;
        }
        value = 0;
        digits = 0;
      } else bad = true;
    }
    if (bad || (field !== 0 && field !== 2)) {
      const text = buf.toString('utf8', pos, end).trim();
      throw corruptFile(idxFile, { line }, `bad index line '${text}': expected 'key<TAB>offset'`, 'regenerate or download the .idx file again');
    }
    if (field === 2) {
      keys.push(key);
      offsets.set(key, offset);
    }
    pos = end + 1;
    line++;
  }
  return { keys, offsets };
}

/** Scans a whole .rec file sequentially: the offset of every record, keyed by position 0, 1, ... */
export function scanRecordIO(recFile: string): number[] {
  requireFile(recFile, 'RecordIO file');
  const fd = openSync(recFile, 'r');
  try {
    const size = fstatSync(fd).size;
    const offsets: number[] = [];
    let pos = 0;
    while (pos < size) {
      offsets.push(pos);
      pos = readRecordAt(fd, recFile, pos, size).next;
    }
    return offsets;
  } finally {
    closeSync(fd);
  }
}

/** Opens a .rec file with its .idx (random access); without one, every record is indexed by a scan. */
export function openRecordIO(recFile: string, idxFile: string | null = recFile.replace(/\.rec$/, '.idx')): RecordIOFile {
  requireFile(recFile, 'RecordIO file');
  let keys: number[];
  let offsets: Map<number, number>;
  if (idxFile && existsSync(idxFile)) ({ keys, offsets } = readRecordIndex(idxFile));
  else {
    const scanned = scanRecordIO(recFile);
    keys = scanned.map((_, i) => i);
    offsets = new Map(scanned.map((o, i) => [i, o]));
  }
  const fd = openSync(recFile, 'r');
  const fileSize = fstatSync(fd).size;
  for (const [key, offset] of offsets) {
    if (offset >= fileSize) {
      closeSync(fd);
      throw corruptFile(
        idxFile ?? recFile,
        {},
        `key ${key} points to offset ${offset}, past the end of ${recFile} (${fileSize} bytes)`,
        'the .rec file is truncated; download it again',
      );
    }
  }
  let open = true;
  return {
    recFile,
    keys,
    offsets,
    fileSize,
    read(key: number): Buffer {
      const offset = offsets.get(key);
      if (offset === undefined) throw corruptFile(recFile, {}, `no record with key ${key}`);
      if (!open) throw new Error('RecordIO file is closed');
      return readRecordAt(fd, recFile, offset, fileSize).data;
    },
    close(): void {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

export interface ImageRecord {
  flag: number;
  /** The label: one number when flag is 0, else `flag` numbers. */
  label: number | Float32Array;
  id: bigint;
  id2: bigint;
  /** The encoded image (empty for header records). */
  image: Buffer;
}

export const IMAGE_RECORD_HEADER_BYTES = 24;

/** mx.recordio.unpack: IRHeader 'IfQQ' little-endian, optional label array, image bytes. */
export function unpackImageRecord(data: Buffer, source: string): ImageRecord {
  if (data.length < IMAGE_RECORD_HEADER_BYTES) throw corruptFile(source, {}, `image record of ${data.length} bytes is shorter than its 24-byte header`);
  const flag = data.readUInt32LE(0);
  const id = data.readBigUInt64LE(8);
  const id2 = data.readBigUInt64LE(16);
  if (flag === 0) return { flag, label: data.readFloatLE(4), id, id2, image: data.subarray(IMAGE_RECORD_HEADER_BYTES) };
  const end = IMAGE_RECORD_HEADER_BYTES + 4 * flag;
  if (data.length < end) throw corruptFile(source, {}, `image record header announces ${flag} labels, the record has only ${data.length} bytes`);
  const label = new Float32Array(flag);
  for (let i = 0; i < flag; i++) label[i] = data.readFloatLE(IMAGE_RECORD_HEADER_BYTES + 4 * i);
  return { flag, label, id, id2, image: data.subarray(end) };
}

export interface FaceRecordSet {
  dir: string;
  /** From the `property` file: classes, image height, width. */
  classes: number;
  height: number;
  width: number;
  /** Keys of the image records (1 .. header0[0]-1 in insightface's layout). */
  imageKeys: number[];
  /** Per identity: the label and the key range [start, end) of its images, when the file has them. */
  identities: { label: number; start: number; end: number }[];
  rec: RecordIOFile;
  /** The identity label and encoded image of record `key`. */
  readImage(key: number): { label: number; image: Buffer };
}

/**
 * An insightface training set folder (`train.rec`, `train.idx`, `property`). Record 0 is a header
 * whose label is [first identity-record key, end key]; identity records carry [start, end) ranges of
 * image keys. Without such a header every record is an image.
 */
export function openFaceRecordSet(dir: string, dataset = 'face training set'): FaceRecordSet {
  requireDatasetDir(dir, dataset);
  const propFile = join(dir, 'property');
  requireFile(propFile, dataset);
  const prop = readFileSync(propFile, 'utf8').trim().split(',');
  if (prop.length !== 3 || !prop.every((p) => /^\d+$/.test(p.trim())))
    throw corruptFile(propFile, { line: 1 }, `expected 'classes,height,width', got '${prop.join(',')}'`);
  const [classes, height, width] = prop.map((p) => Number(p.trim())) as [number, number, number];
  const rec = openRecordIO(join(dir, 'train.rec'), join(dir, 'train.idx'));
  try {
    const first = rec.keys.length ? unpackImageRecord(rec.read(rec.keys[0]!), `${rec.recFile} (key ${rec.keys[0]})`) : null;
    let imageKeys = rec.keys;
    const identities: FaceRecordSet['identities'] = [];
    if (first && first.flag > 0 && first.label instanceof Float32Array && first.label.length >= 2) {
      const idStart = Math.round(first.label[0]!);
      const idEnd = Math.round(first.label[1]!);
      imageKeys = rec.keys.filter((k) => k >= 1 && k < idStart);
      for (let key = idStart; key < idEnd; key++) {
        if (!rec.offsets.has(key)) throw corruptFile(rec.recFile, {}, `identity record ${key} (of ${idStart}..${idEnd - 1}) is missing from the index`);
        const r = unpackImageRecord(rec.read(key), `${rec.recFile} (key ${key})`);
        if (!(r.label instanceof Float32Array) || r.label.length < 2)
          throw corruptFile(rec.recFile, { offset: rec.offsets.get(key)! }, `identity record ${key} has no [start, end) label`);
        identities.push({ label: key - idStart, start: Math.round(r.label[0]!), end: Math.round(r.label[1]!) });
      }
    }
    return {
      dir,
      classes,
      height,
      width,
      imageKeys,
      identities,
      rec,
      readImage(key: number) {
        const r = unpackImageRecord(rec.read(key), `${rec.recFile} (key ${key})`);
        const label = typeof r.label === 'number' ? r.label : r.label[0]!;
        return { label: Math.round(label), image: r.image };
      },
    };
  } catch (error) {
    rec.close();
    throw error;
  }
}
