// Minimal BMP reader (sharp/libvips has no BMP loader): uncompressed BI_RGB / BI_BITFIELDS images
// with 8-bit palette, 24-bit BGR or 32-bit BGRA pixels, bottom-up or top-down rows padded to 4 bytes.
// Some RGB-D face sets (Kinect captures) store frames as BMP.
import { corruptFile } from './fileio.js';

export interface RawRgb {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

export function isBmp(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

/** Decodes a BMP file's bytes to 8-bit RGB, row-major top-down. */
export function decodeBmp(bytes: Buffer, source: string): RawRgb {
  if (bytes.length < 54 || !isBmp(bytes)) throw corruptFile(source, { offset: 0 }, 'not a BMP file (short header or no "BM" signature)');
  const dataOffset = bytes.readUInt32LE(10);
  const headerSize = bytes.readUInt32LE(14);
  const width = bytes.readInt32LE(18);
  const rawHeight = bytes.readInt32LE(22);
  const bpp = bytes.readUInt16LE(28);
  const compression = bytes.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0 || headerSize < 40)
    throw corruptFile(source, { offset: 14 }, `bad BMP header (width ${width}, height ${rawHeight}, header ${headerSize} bytes)`);
  if (!(compression === 0 || (compression === 3 && bpp === 32)) || ![8, 24, 32].includes(bpp)) {
    throw corruptFile(
      source,
      { offset: 28 },
      `unsupported BMP variant (${bpp} bits per pixel, compression ${compression}); only uncompressed 8/24/32-bit is read`,
      'convert the image to PNG',
    );
  }
  const rowBytes = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + rowBytes * height > bytes.length) {
    throw corruptFile(
      source,
      { offset: bytes.length },
      `short read: ${width}x${height} pixels at ${bpp} bits need ${dataOffset + rowBytes * height} bytes, the file has ${bytes.length}`,
    );
  }
  let palette: Buffer | null = null;
  if (bpp === 8) {
    const colours = bytes.readUInt32LE(46) || 256;
    palette = bytes.subarray(14 + headerSize, 14 + headerSize + 4 * colours);
  }
  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const srcRow = dataOffset + (rawHeight > 0 ? height - 1 - y : y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const o = 3 * (y * width + x);
      if (palette) {
        const p = 4 * bytes[srcRow + x]!;
        out[o] = palette[p + 2] ?? 0;
        out[o + 1] = palette[p + 1] ?? 0;
        out[o + 2] = palette[p] ?? 0;
      } else {
        const s = srcRow + x * (bpp / 8);
        out[o] = bytes[s + 2]!;
        out[o + 1] = bytes[s + 1]!;
        out[o + 2] = bytes[s]!;
      }
    }
  }
  return { data: out, width, height, channels: 3 };
}
