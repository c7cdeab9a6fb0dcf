// Resolution degradation for low-resolution face recognition (docs/papers/lrfr.md "MRA"):
// x_lr = Up(Down_r(blur(x))) + noise. Images are row-major HWC Float32Array (any channel count).
import type { Rng } from '../../core/rng.js';

export interface FloatImage {
  data: Float32Array;
  width: number;
  height: number;
  channels: number;
}

/** Separable Gaussian blur with std `sigma` pixels (kernel radius ⌈3σ⌉, edges clamped). */
export function gaussianBlur(image: FloatImage, sigma: number): FloatImage {
  if (!(sigma > 0)) return { ...image, data: image.data.slice() };
  const { width: w, height: h, channels: c } = image;
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i] = kernel[i]! / sum;
  const tmp = new Float32Array(image.data.length);
  const out = new Float32Array(image.data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = Math.min(w - 1, Math.max(0, x + k));
          acc += kernel[k + radius]! * image.data[(y * w + xx) * c + ch]!;
        }
        tmp[(y * w + x) * c + ch] = acc;
      }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const yy = Math.min(h - 1, Math.max(0, y + k));
          acc += kernel[k + radius]! * tmp[(yy * w + x) * c + ch]!;
        }
        out[(y * w + x) * c + ch] = acc;
      }
  return { width: w, height: h, channels: c, data: out };
}

/** Overlap weights of output cells over input cells along one axis (exact box/area filter). */
function areaWeights(inSize: number, outSize: number): { start: number[]; weights: number[][] } {
  const scale = inSize / outSize;
  const start: number[] = [];
  const weights: number[][] = [];
  for (let o = 0; o < outSize; o++) {
    const lo = o * scale;
    const hi = lo + scale;
    const first = Math.floor(lo);
    const ws: number[] = [];
    for (let i = first; i < Math.min(inSize, Math.ceil(hi)); i++) ws.push((Math.min(hi, i + 1) - Math.max(lo, i)) / scale);
    start.push(first);
    weights.push(ws);
  }
  return { start, weights };
}

/** Area (box) resampling: each output pixel is the mean of the input area it covers. */
export function resizeArea(image: FloatImage, width: number, height: number): FloatImage {
  const { width: w, height: h, channels: c, data } = image;
  const ax = areaWeights(w, width);
  const ay = areaWeights(h, height);
  const tmp = new Float32Array(h * width * c);
  for (let y = 0; y < h; y++)
    for (let ox = 0; ox < width; ox++) {
      const ws = ax.weights[ox]!;
      const x0 = ax.start[ox]!;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < ws.length; k++) acc += ws[k]! * data[(y * w + x0 + k) * c + ch]!;
        tmp[(y * width + ox) * c + ch] = acc;
      }
    }
  const out = new Float32Array(height * width * c);
  for (let oy = 0; oy < height; oy++) {
    const ws = ay.weights[oy]!;
    const y0 = ay.start[oy]!;
    for (let x = 0; x < width; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < ws.length; k++) acc += ws[k]! * tmp[((y0 + k) * width + x) * c + ch]!;
        out[(oy * width + x) * c + ch] = acc;
      }
  }
  return { width, height, channels: c, data: out };
}

/** Bilinear resampling with half-pixel centres (as tf.image.resizeBilinear with halfPixelCenters). */
export function resizeBilinear(image: FloatImage, width: number, height: number): FloatImage {
  const { width: w, height: h, channels: c, data } = image;
  const out = new Float32Array(width * height * c);
  const sx = w / width;
  const sy = h / height;
  for (let oy = 0; oy < height; oy++) {
    const fy = Math.min(h - 1, Math.max(0, (oy + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const dy = fy - y0;
    for (let ox = 0; ox < width; ox++) {
      const fx = Math.min(w - 1, Math.max(0, (ox + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const dx = fx - x0;
      for (let ch = 0; ch < c; ch++) {
        const top = data[(y0 * w + x0) * c + ch]! * (1 - dx) + data[(y0 * w + x1) * c + ch]! * dx;
        const bottom = data[(y1 * w + x0) * c + ch]! * (1 - dx) + data[(y1 * w + x1) * c + ch]! * dx;
        out[(oy * width + ox) * c + ch] = top * (1 - dy) + bottom * dy;
      }
    }
  }
  return { width, height, channels: c, data: out };
}

/** Keys' cubic convolution kernel with a = -0.5 (as OpenCV/PIL bicubic). */
function cubicWeight(t: number): number {
  const x = Math.abs(t);
  if (x <= 1) return (1.5 * x - 2.5) * x * x + 1;
  if (x < 2) return ((-0.5 * x + 2.5) * x - 4) * x + 2;
  return 0;
}

/**
 * Bicubic resampling (Keys, a = -0.5) with half-pixel centres and clamped edges; when shrinking, the
 * kernel is not widened (as OpenCV's INTER_CUBIC), so use area resampling or a blur to avoid aliasing.
 */
export function resizeBicubic(image: FloatImage, width: number, height: number): FloatImage {
  const { width: w, height: h, channels: c, data } = image;
  const taps = (inSize: number, outSize: number) =>
    Array.from({ length: outSize }, (_, o) => {
      const f = (o + 0.5) * (inSize / outSize) - 0.5;
      const base = Math.floor(f);
      return [-1, 0, 1, 2].map((k) => [Math.min(inSize - 1, Math.max(0, base + k)), cubicWeight(f - (base + k))] as const);
    });
  const tx = taps(w, width);
  const ty = taps(h, height);
  const tmp = new Float32Array(h * width * c);
  for (let y = 0; y < h; y++)
    for (let ox = 0; ox < width; ox++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (const [x, wt] of tx[ox]!) acc += wt * data[(y * w + x) * c + ch]!;
        tmp[(y * width + ox) * c + ch] = acc;
      }
  const out = new Float32Array(height * width * c);
  for (let oy = 0; oy < height; oy++)
    for (let x = 0; x < width; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (const [y, wt] of ty[oy]!) acc += wt * tmp[(y * width + x) * c + ch]!;
        out[(oy * width + x) * c + ch] = acc;
      }
  return { width, height, channels: c, data: out };
}

export type ResampleMethod = 'area' | 'bilinear' | 'bicubic';

/** Resamples with the named method (lrfr's MRA draws one of these at random). */
export function resize(image: FloatImage, width: number, height: number, method: ResampleMethod): FloatImage {
  if (method === 'area') return resizeArea(image, width, height);
  if (method === 'bilinear') return resizeBilinear(image, width, height);
  if (method === 'bicubic') return resizeBicubic(image, width, height);
  throw new RangeError(`unknown resampling method '${method as string}': use area, bilinear or bicubic`);
}

export interface DegradeOptions {
  /** Side of the low-resolution image (pixels, ≥ 1). */
  size: number;
  /** Gaussian blur std in input pixels before down-sampling (0 = none). */
  blurSigma?: number;
  /** Std of additive Gaussian noise on the low-resolution image, in [0, 1] intensity units. */
  noiseStd?: number;
  /** Up-sample back to this side (the LR→HR input of lrfr's MRA). */
  upsampleTo?: number;
  /** Down-sampling method; default 'area'. */
  downMethod?: ResampleMethod;
  /** Up-sampling method; default 'bilinear' (docs/papers/lrfr.md "MRA": bicubic in the paper's recipe). */
  upMethod?: ResampleMethod;
  /** Noise source; required when noiseStd > 0. */
  rng?: Rng;
}

/** Blur → down-sample to `size` → noise → clamp to [0, 1] → optional up-sample (clamped again). */
export function degradeImage(image: FloatImage, options: DegradeOptions): FloatImage {
  const size = Math.round(options.size);
  if (!(size >= 1)) throw new RangeError(`degradeImage: size must be ≥ 1, got ${options.size}`);
  let out = resize(gaussianBlur(image, options.blurSigma ?? 0), size, size, options.downMethod ?? 'area');
  const noise = options.noiseStd ?? 0;
  if (noise > 0) {
    if (!options.rng) throw new RangeError('degradeImage: noiseStd > 0 needs an rng (createRng)');
    for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! + noise * options.rng.normal();
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.min(1, Math.max(0, out.data[i]!));
  if (options.upsampleTo) {
    out = resize(out, options.upsampleTo, options.upsampleTo, options.upMethod ?? 'bilinear');
    for (let i = 0; i < out.data.length; i++) out.data[i] = Math.min(1, Math.max(0, out.data[i]!));
  }
  return out;
}
