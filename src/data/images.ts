// Image decoding for every loader: sharp (libvips) decodes JPEG, PNG, BMP-free formats to raw pixels.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { decodeBmp, isBmp } from './bmp.js';
import { InputError } from '../core/errors.js';
import { corruptFile } from './fileio.js';

/** A sharp pipeline for a file or bytes; BMP (which libvips cannot read) is decoded here first. */
function open(input: string | Buffer, source: string): ReturnType<typeof sharp> {
  const bytes = typeof input === 'string' && /\.bmp$/i.test(input) ? readFileSync(input) : input;
  if (Buffer.isBuffer(bytes) && isBmp(bytes)) {
    const raw = decodeBmp(bytes, source);
    return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } });
  }
  return sharp(bytes, { failOn: 'error' });
}

export interface DecodedImage {
  /** Row-major height x width x channels. 8-bit for colour, 16-bit for depth maps. */
  data: Uint8Array | Uint16Array;
  width: number;
  height: number;
  channels: number;
}

export interface DecodeOptions {
  /** 1 = greyscale, 3 = RGB (alpha dropped). Default 3. */
  channels?: 1 | 3;
  /** Resize to width x height (fill, no crop) after decoding. */
  size?: { width: number; height: number };
}

/**
 * Decodes an image file or in-memory bytes to 8-bit pixels. `source` names the file (and for
 * in-memory bytes, which record) so a corrupt image is reported where it is.
 */
export async function decodeImage(input: string | Buffer, source: string, options: DecodeOptions = {}): Promise<DecodedImage & { data: Uint8Array }> {
  const channels = options.channels ?? 3;
  try {
    let pipeline = open(input, source).removeAlpha();
    pipeline = channels === 1 ? pipeline.greyscale() : pipeline.toColourspace('srgb');
    if (options.size) pipeline = pipeline.resize(options.size.width, options.size.height, { fit: 'fill' });
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`decoded ${info.channels} channels, wanted ${channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw corruptFile(source, {}, `cannot decode image (${(error as Error).message})`);
  }
}

/** Decodes a single-channel depth map: 16-bit files keep their values; 8-bit files are scaled by 257 to 0-65535. */
export async function decodeDepth(input: string | Buffer, source: string): Promise<DecodedImage & { data: Uint16Array }> {
  try {
    const { data, info } = await open(input, source).extractChannel(0).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    const values = new Uint16Array(info.width * info.height);
    for (let i = 0; i < values.length; i++) values[i] = data.readUInt16LE(2 * i);
    return { data: values, width: info.width, height: info.height, channels: 1 };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw corruptFile(source, {}, `cannot decode depth image (${(error as Error).message})`);
  }
}

/** Width, height and channel count from the header only (fast; used by the structural verifiers). */
export async function imageHeader(input: string | Buffer, source: string): Promise<{ width: number; height: number; channels: number; format: string }> {
  try {
    const meta = await open(input, source).metadata();
    if (!meta.width || !meta.height) throw new Error('no image size in header');
    const bmp = Buffer.isBuffer(input) ? isBmp(input) : /\.bmp$/i.test(input);
    return { width: meta.width, height: meta.height, channels: meta.channels ?? 0, format: bmp ? 'bmp' : (meta.format ?? 'unknown') };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw corruptFile(source, {}, `not a readable image (${(error as Error).message})`);
  }
}

/**
 * Decodes every pixel (`data verify --deep`): a header can be whole while the data after it is cut
 * or fails its CRC, which only a full decode finds. Returns the header facts as imageHeader does.
 */
export async function decodeFully(input: string | Buffer, source: string): Promise<{ width: number; height: number; channels: number }> {
  try {
    const { info } = await open(input, source).raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw corruptFile(source, {}, `the image data is cut or corrupt (${(error as Error).message})`);
  }
}
