// Horizontal flip of NHWC images: MDA scores its selection on hflip(x) (RandomHorizontalFlip(p=1)).

/** Mirrors every row of every image left-right; `images` is [count, height, width, channels]. */
export function hflipImages(images: Float32Array, count: number, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(images.length);
  const rowSize = width * channels;
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < height; y++) {
      const row = (n * height + y) * rowSize;
      for (let x = 0; x < width; x++) {
        const from = row + x * channels;
        const to = row + (width - 1 - x) * channels;
        for (let c = 0; c < channels; c++) out[to + c] = images[from + c]!;
      }
    }
  }
  return out;
}
