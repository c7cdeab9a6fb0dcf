// Minimal PNG encoder (8-bit RGB, 16-bit greyscale), synchronous and deterministic: the same pixels
// always give the same bytes (zlib level 6, filter "Sub" on every row). PNG spec: ISO/IEC 15948.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Encodes rows of `bytesPerPixel`-byte pixels with the Sub filter. */
function encode(width: number, height: number, bitDepth: 8 | 16, colourType: 0 | 2, raw: Uint8Array, bytesPerPixel: number): Buffer {
  const stride = width * bytesPerPixel;
  const filtered = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    filtered[row] = 1; // Sub
    for (let x = 0; x < stride; x++) {
      const left = x >= bytesPerPixel ? raw[y * stride + x - bytesPerPixel]! : 0;
      filtered[row + 1 + x] = (raw[y * stride + x]! - left) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = bitDepth;
  header[9] = colourType;
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(filtered, { level: 6 })), chunk('IEND', new Uint8Array(0))]);
}

/** 8-bit RGB PNG from HWC bytes. */
export function encodePngRgb8(rgb: Uint8Array, width: number, height: number): Buffer {
  if (rgb.length !== width * height * 3) throw new RangeError(`encodePngRgb8: ${rgb.length} bytes for ${width}x${height}x3`);
  return encode(width, height, 8, 2, rgb, 3);
}

/** 16-bit greyscale PNG from values in [0, 1] (stored as round(value·65535), big-endian). */
export function encodePngGray16(values: Float32Array, width: number, height: number): Buffer {
  if (values.length !== width * height) throw new RangeError(`encodePngGray16: ${values.length} values for ${width}x${height}`);
  const raw = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const q = Math.round(Math.min(1, Math.max(0, values[i]!)) * 65535);
    raw[2 * i] = q >>> 8;
    raw[2 * i + 1] = q & 0xff;
  }
  return encode(width, height, 16, 0, raw, 2);
}
