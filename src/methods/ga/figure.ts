// The GA figure (issue #16): clean | cloaked | amplified difference (0.5 + amplify·(cloaked − clean)) of
// one image, side by side, as an 8-bit RGB PNG encoded by sharp. `repro ga` writes it as cloak.png from
// the cell that optimises the GA cloak; benchmarks/ga/figure.mjs renders the quick profile's one alone.
import sharp from 'sharp';

export interface CloakFigureOptions {
  /** Gain of the difference panel (default 10: a cloak of ε = 8/255 spans about ±0.31 around grey). */
  amplify?: number;
}

/** The three panels as one RGB raster (height × 3·width × 3 bytes), values clamped to [0, 1] and rounded. */
export function cloakFigurePixels(clean: Float32Array, cloaked: Float32Array, height: number, width: number, options: CloakFigureOptions = {}): Uint8Array {
  const px = height * width * 3;
  if (clean.length < px || cloaked.length < px) throw new RangeError(`cloak figure: an image needs ${px} values (${height}x${width}x3)`);
  const amplify = options.amplify ?? 10;
  const W = 3 * width;
  const rgb = new Uint8Array(height * W * 3);
  const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        const q = (y * width + x) * 3 + c;
        const at = (panel: number) => (y * W + panel * width + x) * 3 + c;
        rgb[at(0)] = byte(clean[q]!);
        rgb[at(1)] = byte(cloaked[q]!);
        rgb[at(2)] = byte(0.5 + amplify * (cloaked[q]! - clean[q]!));
      }
  return rgb;
}

/** The figure as PNG bytes (3·width × height, RGB, 8 bits per channel). */
export async function cloakFigurePng(
  clean: Float32Array,
  cloaked: Float32Array,
  height: number,
  width: number,
  options: CloakFigureOptions = {},
): Promise<Uint8Array> {
  const rgb = cloakFigurePixels(clean, cloaked, height, width, options);
  const png = await sharp(rgb, { raw: { width: 3 * width, height, channels: 3 } })
    .png({ compressionLevel: 9, adaptiveFiltering: false, palette: false })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
