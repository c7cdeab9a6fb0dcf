// Builders of tiny dataset files for the loader tests: every format written byte by byte here.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import sharp from 'sharp';

export function tempDir(prefix = 'repro-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFile(path: string, content: string | Buffer | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A w x h RGB image whose pixel (x, y) is (r + x, g + y, b) — distinct pixels, exact values. */
export function rgbPixels(w: number, h: number, [r, g, b]: [number, number, number]): Buffer {
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.set([(r + x) & 255, (g + y) & 255, b], 3 * (y * w + x));
  return px;
}

export function pngBytes(w: number, h: number, colour: [number, number, number]): Promise<Buffer> {
  return sharp(rgbPixels(w, h, colour), { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
}

export function jpegBytes(w: number, h: number, colour: [number, number, number]): Promise<Buffer> {
  return sharp(rgbPixels(w, h, colour), { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

export async function writePng(path: string, w: number, h: number, colour: [number, number, number]): Promise<string> {
  return writeFile(path, await pngBytes(w, h, colour));
}

/** A 16-bit greyscale PNG whose value at (x, y) is base + 100 x + y (sharp reads a Uint16Array as 16-bit). */
export async function writeDepthPng(path: string, w: number, h: number, base: number): Promise<string> {
  const px = new Uint16Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = base + 100 * x + y;
  return writeFile(
    path,
    await sharp(px, { raw: { width: w, height: h, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer(),
  );
}

/** idx file: [0, 0, type 0x08, ndims], big-endian dims, ubyte data. */
export function idxBytes(dims: number[], data: ArrayLike<number>): Buffer {
  const buf = Buffer.alloc(4 + 4 * dims.length + data.length);
  buf.writeUInt8(0x08, 2);
  buf.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => buf.writeUInt32BE(d, 4 + 4 * i));
  for (let i = 0; i < data.length; i++) buf[4 + 4 * dims.length + i] = data[i]!;
  return buf;
}

/**
 * The pickle Python 2's `pickle.dump((bins, issame), f, protocol=2)` writes (insightface lfw2pack):
 * PROTO 2, lists built with EMPTY_LIST/MARK/.../APPENDS, str as SHORT_BINSTRING / BINSTRING,
 * NEWTRUE/NEWFALSE, TUPLE2, memo BINPUTs, STOP.
 */
export function pickleProtocol2(images: Buffer[], issame: boolean[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 0x02])];
  let memo = 0;
  const put = (): Buffer => Buffer.from([0x71, memo++]); // BINPUT
  parts.push(Buffer.from([0x5d]), put(), Buffer.from([0x28])); // ] q0 (
  for (const img of images) {
    if (img.length < 256) parts.push(Buffer.from([0x55, img.length]), img);
    else {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(img.length);
      parts.push(Buffer.from([0x54]), len, img);
    }
    parts.push(put());
  }
  parts.push(Buffer.from([0x65])); // APPENDS
  parts.push(Buffer.from([0x5d]), put(), Buffer.from([0x28]));
  for (const s of issame) parts.push(Buffer.from([s ? 0x88 : 0x89]));
  parts.push(Buffer.from([0x65, 0x86]), put(), Buffer.from([0x2e])); // APPENDS TUPLE2 q STOP
  return Buffer.concat(parts);
}

/** The same structure as Python 3 writes it with protocol 4: FRAME, BINBYTES, MEMOIZE. */
export function pickleProtocol4(images: Buffer[], issame: boolean[]): Buffer {
  const body: Buffer[] = [Buffer.from([0x5d, 0x94, 0x28])];
  for (const img of images) {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(img.length);
    body.push(img.length < 256 ? Buffer.from([0x43, img.length]) : Buffer.concat([Buffer.from([0x42]), len]), img, Buffer.from([0x94]));
  }
  body.push(Buffer.from([0x65, 0x5d, 0x94, 0x28]));
  for (const s of issame) body.push(Buffer.from([s ? 0x88 : 0x89]));
  body.push(Buffer.from([0x65, 0x86, 0x94, 0x2e]));
  const frame = Buffer.concat(body);
  const head = Buffer.alloc(11);
  head.set([0x80, 0x04, 0x95]);
  head.writeBigUInt64LE(BigInt(frame.length), 3);
  return Buffer.concat([head, frame]);
}

export const MAGIC = 0xced7230a;

/** dmlc RecordIOWriter::WriteRecord: split at 4-aligned magic words, pad each part to 4 bytes. */
export function recordioRecord(payload: Buffer): Buffer {
  const out: Buffer[] = [];
  const head = (cflag: number, length: number): Buffer => {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(MAGIC, 0);
    h.writeUInt32LE(((cflag << 29) | length) >>> 0, 4);
    return h;
  };
  let start = 0;
  for (let i = 0; i + 4 <= payload.length; i += 4) {
    if (payload.readUInt32LE(i) === MAGIC) {
      out.push(head(start === 0 ? 1 : 2, i - start), payload.subarray(start, i));
      start = i + 4;
    }
  }
  const rest = payload.subarray(start);
  out.push(head(start === 0 ? 0 : 3, rest.length), rest, Buffer.alloc((4 - (rest.length % 4)) % 4));
  return Buffer.concat(out);
}

/** mx.recordio.pack: IRHeader 'IfQQ' (+ float32 label array when it has several labels) + image. */
export function imageRecord(label: number | number[], id: number, image: Buffer): Buffer {
  const labels = Array.isArray(label) ? label : [];
  const head = Buffer.alloc(24 + 4 * labels.length);
  head.writeUInt32LE(labels.length, 0);
  head.writeFloatLE(Array.isArray(label) ? 0 : label, 4);
  head.writeBigUInt64LE(BigInt(id), 8);
  head.writeBigUInt64LE(0n, 16);
  labels.forEach((l, i) => head.writeFloatLE(l, 24 + 4 * i));
  return Buffer.concat([head, image]);
}

/** Writes train.rec / train.idx / property in insightface's layout; returns the record offsets. */
export function writeFaceRecordSet(dir: string, identities: Buffer[][], size = 8): Map<number, number> {
  const images = identities.flat();
  const idStart = images.length + 1;
  const idEnd = idStart + identities.length;
  const records: [number, Buffer][] = [[0, imageRecord([idStart, idEnd], 0, Buffer.alloc(0))]];
  let key = 1;
  identities.forEach((imgs, label) => imgs.forEach((img) => records.push([key, imageRecord(label, key++, img)])));
  let start = 1;
  identities.forEach((imgs, label) => {
    records.push([idStart + label, imageRecord([start, start + imgs.length], idStart + label, Buffer.alloc(0))]);
    start += imgs.length;
  });
  const offsets = new Map<number, number>();
  const chunks: Buffer[] = [];
  let at = 0;
  for (const [k, payload] of records) {
    const rec = recordioRecord(payload);
    offsets.set(k, at);
    chunks.push(rec);
    at += rec.length;
  }
  writeFile(join(dir, 'train.rec'), Buffer.concat(chunks));
  writeFile(join(dir, 'train.idx'), [...offsets].map(([k, o]) => `${k}\t${o}\n`).join(''));
  writeFile(join(dir, 'property'), `${identities.length},${size},${size}\n`);
  return offsets;
}

/** A ustar header block for a regular file or directory. */
export function tarHeader(name: string, size: number, type: '0' | '5' = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** An uncompressed tar of `files` (path -> content); directories are implied. */
export function tarBytes(files: Record<string, Buffer | string>): Buffer {
  const parts: Buffer[] = [];
  const dirs = new Set<string>();
  for (const [name, content] of Object.entries(files)) {
    const segs = name.split('/');
    for (let i = 1; i < segs.length; i++) {
      const d = `${segs.slice(0, i).join('/')}/`;
      if (!dirs.has(d)) {
        dirs.add(d);
        parts.push(tarHeader(d, 0, '5'));
      }
    }
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    parts.push(tarHeader(name, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A BMP file: 24-bit BGR (bottom-up) or 8-bit palette (top-down), rows padded to 4 bytes. */
export function bmpBytes(width: number, height: number, pixel: (x: number, y: number) => [number, number, number] | number, bpp: 24 | 8): Buffer {
  const rowBytes = Math.ceil((width * bpp) / 32) * 4;
  const paletteBytes = bpp === 8 ? 1024 : 0;
  const offset = 54 + paletteBytes;
  const buf = Buffer.alloc(offset + rowBytes * height);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(offset, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(bpp === 24 ? height : -height, 22); // 8-bit fixture is top-down
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(bpp, 28);
  if (bpp === 8) for (let i = 0; i < 256; i++) buf.set([i, i, i, 0], 54 + 4 * i); // grey palette
  for (let y = 0; y < height; y++) {
    const row = offset + (bpp === 24 ? height - 1 - y : y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const p = pixel(x, y);
      if (bpp === 8) buf[row + x] = p as number;
      else {
        const [r, g, b] = p as [number, number, number];
        buf.set([b, g, r], row + 3 * x);
      }
    }
  }
  return buf;
}

export interface ZipFixtureEntry {
  data: Buffer | string;
  /** 'store' (method 0) or 'deflate' (method 8, raw deflate). Default deflate. */
  method?: 'store' | 'deflate';
  /** Unix mode written to the external attributes (e.g. 0o120777 for a symbolic link). */
  mode?: number;
}

/**
 * A zip archive (PKWARE APPNOTE 4.3): per entry a local file header and the data, then the central
 * directory and the end-of-central-directory record. Names ending in '/' are directories.
 */
export function zipBytes(entries: Record<string, Buffer | string | ZipFixtureEntry>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, spec] of Object.entries(entries)) {
    const e: ZipFixtureEntry = typeof spec === 'string' || Buffer.isBuffer(spec) ? { data: spec } : spec;
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const method = name.endsWith('/') || e.method === 'store' ? 0 : 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const crc = crc32(data) >>> 0;
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(((e.mode ?? (name.endsWith('/') ? 0o40755 : 0o100644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Python 2 pickle protocol 2 values: str (bytes), int, bool, None, list, tuple, dict, numpy uint8 array. */
export type Py2 = Buffer | string | number | boolean | null | Py2[] | { tuple: Py2[] } | { dict: [string, Py2][] } | { uint8: Buffer; shape: number[] };

/**
 * What Python 2's `cPickle.dump(obj, f, 2)` writes for `obj` (the CIFAR python batches were written
 * so): str as SHORT_BINSTRING / BINSTRING, ints as BININT1 / BININT2 / BININT, dicts and lists with
 * MARK ... SETITEMS / APPENDS, a numpy array as numpy.core.multiarray._reconstruct(ndarray, (0,), 'b')
 * then BUILD with (1, shape, dtype('u1') built with its state, False, data), memo BINPUTs.
 */
export function pickleProtocol2Py2(obj: Py2): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 0x02])];
  let memo = 0;
  const op = (...b: number[]): void => void parts.push(Buffer.from(b));
  const put = (): void => op(0x71, memo++ & 0xff);
  const str = (s: Buffer | string): void => {
    const b = Buffer.isBuffer(s) ? s : Buffer.from(s, 'latin1');
    if (b.length < 256) op(0x55, b.length);
    else {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length);
      parts.push(Buffer.from([0x54]), len);
    }
    parts.push(b);
    put();
  };
  const int = (n: number): void => {
    if (n >= 0 && n < 256) op(0x4b, n);
    else if (n >= 0 && n < 65536) op(0x4d, n & 0xff, n >> 8);
    else {
      const b = Buffer.alloc(4);
      b.writeInt32LE(n);
      parts.push(Buffer.from([0x4a]), b);
    }
  };
  const global = (module: string, name: string): void => {
    parts.push(Buffer.from(`c${module}\n${name}\n`, 'latin1'));
    put();
  };
  const emit = (v: Py2): void => {
    if (v === null) op(0x4e);
    else if (typeof v === 'boolean') op(v ? 0x88 : 0x89);
    else if (typeof v === 'number') int(v);
    else if (typeof v === 'string' || Buffer.isBuffer(v)) str(v);
    else if (Array.isArray(v)) {
      op(0x5d);
      put();
      if (v.length) {
        op(0x28);
        v.forEach(emit);
        op(0x65);
      }
    } else if ('tuple' in v) {
      op(0x28);
      v.tuple.forEach(emit);
      op(0x74);
      put();
    } else if ('dict' in v) {
      op(0x7d);
      put();
      op(0x28);
      for (const [k, x] of v.dict) {
        str(k);
        emit(x);
      }
      op(0x75);
    } else {
      global('numpy.core.multiarray', '_reconstruct');
      global('numpy', 'ndarray');
      op(0x4b, 0, 0x85);
      put();
      str('b');
      op(0x87);
      put();
      op(0x52);
      put();
      op(0x28, 0x4b, 1); // state: (1, shape, dtype, False, data)
      emit({ tuple: v.shape });
      global('numpy', 'dtype');
      str('u1');
      op(0x4b, 0, 0x4b, 1, 0x87, 0x52);
      put();
      op(0x28, 0x4b, 3);
      str('|');
      op(0x4e, 0x4e, 0x4e, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x4b, 0, 0x74, 0x62);
      op(0x89);
      str(v.uint8);
      op(0x74);
      put();
      op(0x62);
    }
  };
  emit(obj);
  op(0x2e);
  return Buffer.concat(parts);
}
