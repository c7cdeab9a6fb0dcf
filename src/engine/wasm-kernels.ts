// The project's own training kernels for the wasm backend (docs/DESIGN.md "Engine facts").
// Stock tfjs-backend-wasm 4.22 lacks Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter/-Input and
// UnsortedSegmentSum, and its Conv2DBackpropInput and Tile are slow scalar loops. The convolution gradients
// below are rewritten as forward convolutions so that they run on the backend's fast XNNPACK Conv2D:
//   dW = Conv2D(transpose(x), transpose(dy)) with dilation = stride          (correlation of x with dy)
//   dX = Conv2D(zero-inserted dy, spatially flipped and transposed W)         (full convolution)
// Depthwise gradients, segment sums and tiling are memory-bound and run as tight loops on the wasm heap.
import type { backend_util as BackendUtil, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm'; // stock kernels first, so that ours replace them and not the reverse
import { tf } from './tf.js';

const { backend_util, util } = tf;
type Conv2DInfo = BackendUtil.Conv2DInfo;

/** The parts of tfjs-backend-wasm's BackendWasm that these kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: WasmBackend;
  attrs?: NamedAttrMap;
}

/** Calls another wasm kernel directly (no tape, no engine tracking); the caller disposes the result. */
function callWasmKernel(name: string, inputs: Record<string, TensorInfo>, attrs: object, backend: WasmBackend): TensorInfo {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm kernel ${name} is not registered`);
  return config.kernelFunc({ inputs, backend, attrs } as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
}

function dispose(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

function requireChannelsLast(info: Conv2DInfo, kernel: string): void {
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} on wasm supports only dataFormat NHWC (channelsLast), got ${info.dataFormat}`);
  }
}

/**
 * 4-D transposes for the filter gradient, as loops over the wasm heap (the stock Transpose kernel is a
 * scalar loop several times slower for these permutations). [3,1,2,0]: (n,h,w,c) → (c,h,w,n), one n×c
 * block per pixel; [1,2,0,3]: (a,b,c,d) → (b,c,a,d), contiguous d-vectors moved whole.
 */
function transpose(x: TensorInfo, perm: number[], backend: WasmBackend): TensorInfo {
  const [A, B, C, D] = x.shape;
  const key = perm.join('');
  if (x.shape.length !== 4 || (key !== '3120' && key !== '1203')) return callWasmKernel('Transpose', { x }, { perm }, backend);
  const out = backend.makeOutput(
    perm.map((p) => x.shape[p]),
    x.dtype,
  );
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  if (key === '3120') {
    const plane = B * C; // pixels
    for (let p = 0; p < plane; p++) {
      for (let a = 0; a < A; a++) {
        const from = (a * plane + p) * D;
        for (let d = 0; d < D; d++) dst[(d * plane + p) * A + a] = src[from + d];
      }
    }
  } else {
    for (let a = 0; a < A; a++) {
      for (let b = 0; b < B; b++) {
        for (let c = 0; c < C; c++) {
          const from = ((a * B + b) * C + c) * D;
          const to = ((b * C + c) * A + a) * D;
          if (D >= 16) dst.set(src.subarray(from, from + D), to);
          else for (let d = 0; d < D; d++) dst[to + d] = src[from + d];
        }
      }
    }
  }
  return out;
}

/** Crops a 4-D NHWC tensor to rows [0, h) and columns [0, w) (used when a padding would be negative). */
function crop(x: TensorInfo, h: number, w: number, backend: WasmBackend): TensorInfo {
  return callWasmKernel('Slice', { x }, { begin: [0, 0, 0, 0], size: [x.shape[0], h, w, x.shape[3]] }, backend);
}

// ---- Conv2DBackpropFilter ----------------------------------------------------------------------------
// dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh − padTop, ow·s + kw − padLeft, ci] · dy[n,oh,ow,co]
// Read as a convolution whose batch is ci, whose channels are n and whose filter is dy (dilation = s).
function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | BackendUtil.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  requireChannelsLast(info, 'Conv2DBackpropFilter');
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight, outWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Rows of x that the last output row reaches: (outHeight-1)·sh + kh − top. Beyond them x is unused.
  let bottom = (outHeight - 1) * sh + kh - info.inHeight - top;
  let right = (outWidth - 1) * sw + kw - info.inWidth - left;
  let xUsed = x;
  if (bottom < 0 || right < 0) {
    xUsed = crop(x, info.inHeight + Math.min(bottom, 0), info.inWidth + Math.min(right, 0), backend);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const xT = transpose(xUsed, [3, 1, 2, 0], backend); // (ci, H, W, n)
  if (xUsed !== x) dispose(backend, xUsed);
  const dyT = transpose(dy, [1, 2, 0, 3], backend); // (oh, ow, n, co)
  const dwT = callWasmKernel(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dilations: [sh, sw],
      dataFormat: 'NHWC',
    },
    backend,
  ); // (ci, kh, kw, co)
  dispose(backend, xT, dyT);
  const dw = transpose(dwT, [1, 2, 0, 3], backend);
  dispose(backend, dwT);
  return dw;
}

// ---- Conv2DBackpropInput -----------------------------------------------------------------------------
// dX[n,i,j,ci] = Σ_{kh,kw,co} dyz[n, i + padTop − kh, j + padLeft − kw, co] · W[kh,kw,ci,co], where dyz is dy
// with s−1 zeros inserted between rows and columns. With the flipped filter this is a stride-1 correlation.

/** W (kh,kw,ci,co) → W' (kh,kw,co,ci) with W'[a,b,co,ci] = W[kh−1−a, kw−1−b, ci, co]. */
function flipTransposeFilter(filter: TensorInfo, backend: WasmBackend): TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const out = backend.makeOutput([kh, kw, co, ci], 'float32');
  const src = backend.typedArrayFromHeap(filter);
  const dst = backend.typedArrayFromHeap(out);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const srcBase = ((kh - 1 - a) * kw + (kw - 1 - b)) * ci * co;
      const dstBase = (a * kw + b) * co * ci;
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) dst[dstBase + o * ci + i] = src[srcBase + i * co + o];
      }
    }
  }
  return out;
}

/**
 * Zero-inserts dy (stride sh, sw) and pads it so that a valid stride-1 convolution with a kh×kw filter gives
 * exactly outH×outW: dyz[n, padT + oh·sh, padL + ow·sw, c] = dy[n, oh, ow, c]; rows outside [0, Hp) dropped.
 */
function zeroInsertPad(dy: TensorInfo, sh: number, sw: number, padT: number, padL: number, hp: number, wp: number, backend: WasmBackend): TensorInfo {
  const [n, oh, ow, c] = dy.shape;
  const out = backend.makeOutput([n, hp, wp, c], 'float32');
  const src = backend.typedArrayFromHeap(dy);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      const row = padT + r * sh;
      if (row < 0 || row >= hp) continue;
      for (let q = 0; q < ow; q++) {
        const col = padL + q * sw;
        if (col < 0 || col >= wp) continue;
        const s = ((b * oh + r) * ow + q) * c;
        dst.set(src.subarray(s, s + c), ((b * hp + row) * wp + col) * c);
      }
    }
  }
  return out;
}

/**
 * Strided dX by phase decomposition (no wasted multiplications on inserted zeros): the input rows
 * i ≡ (r − padTop) mod s receive only the taps k = r + j·s, so for each phase (rh, rw) dX is a stride-1
 * correlation of dy with the flipped sub-filter W[rh + (J−1−a)·s, rw + (J−1−b)·s], scattered back into
 * rows i = q·s + r − padTop. Returns null when a phase would need a negative padding (caller falls back).
 */
function stridedBackpropInputByPhases(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo, backend: WasmBackend): TensorInfo | null {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: H, inWidth: W, inChannels: ci, outChannels: co } = info;
  const [n, oh, ow] = dy.shape;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  interface Phase1D {
    r: number;
    taps: number;
    q0: number;
    len: number;
    padBefore: number;
    padAfter: number;
  }
  const phases1D = (s: number, k: number, pad: number, size: number, outSize: number): Phase1D[] | null => {
    const list: Phase1D[] = [];
    for (let r = 0; r < s; r++) {
      const taps = r < k ? Math.ceil((k - r) / s) : 0;
      const q0 = Math.ceil((pad - r) / s);
      const q1 = Math.ceil((size + pad - r) / s); // exclusive
      const len = Math.max(q1 - q0, 0);
      const padBefore = taps - 1 - q0;
      const padAfter = len - outSize - padBefore + taps - 1;
      if (taps > 0 && len > 0 && (padBefore < 0 || padAfter < 0)) return null;
      list.push({ r, taps, q0, len, padBefore, padAfter });
    }
    return list;
  };
  const rows = phases1D(sh, kh, top, H, oh);
  const cols = phases1D(sw, kw, left, W, ow);
  if (!rows || !cols) return null;
  const out = backend.makeOutput([n, H, W, ci], 'float32');
  backend.typedArrayFromHeap(out).fill(0);
  for (const ph of rows) {
    for (const pw of cols) {
      if (ph.taps === 0 || pw.taps === 0 || ph.len === 0 || pw.len === 0) continue; // no tap reaches: zeros
      // Sub-filter (taps_h, taps_w, co, ci), flipped: F[a,b,o,c] = W[rh + (Jh−1−a)·sh, rw + (Jw−1−b)·sw, c, o].
      const sub = backend.makeOutput([ph.taps, pw.taps, co, ci], 'float32');
      {
        const src = backend.typedArrayFromHeap(filter);
        const dst = backend.typedArrayFromHeap(sub);
        for (let a = 0; a < ph.taps; a++) {
          for (let b = 0; b < pw.taps; b++) {
            const srcBase = ((ph.r + (ph.taps - 1 - a) * sh) * kw + (pw.r + (pw.taps - 1 - b) * sw)) * ci * co;
            const dstBase = (a * pw.taps + b) * co * ci;
            for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) dst[dstBase + o * ci + c] = src[srcBase + c * co + o];
          }
        }
      }
      const part = callWasmKernel(
        'Conv2D',
        { x: dy, filter: sub },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [ph.padBefore, ph.padAfter],
            [pw.padBefore, pw.padAfter],
            [0, 0],
          ],
          dilations: [1, 1],
          dataFormat: 'NHWC',
        },
        backend,
      ); // (n, ph.len, pw.len, ci): position (q − q0) of the phase
      const src = backend.typedArrayFromHeap(part);
      const dst = backend.typedArrayFromHeap(out);
      for (let b = 0; b < n; b++) {
        for (let t = 0; t < ph.len; t++) {
          const i = (ph.q0 + t) * sh + ph.r - top;
          for (let u = 0; u < pw.len; u++) {
            const j = (pw.q0 + u) * sw + pw.r - left;
            const from = ((b * ph.len + t) * pw.len + u) * ci;
            dst.set(src.subarray(from, from + ci), ((b * H + i) * W + j) * ci);
          }
        }
      }
      dispose(backend, sub, part);
    }
  }
  return out;
}

function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | BackendUtil.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  requireChannelsLast(info, 'Conv2DBackpropInput');
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight, inWidth } = info;
  const [, oh, ow] = dy.shape;
  if (sh > 1 || sw > 1) {
    const byPhases = stridedBackpropInputByPhases(dy, filter, info, backend);
    if (byPhases) return byPhases;
  }
  // Padding of the zero-inserted dy: before = k − 1 − padTop; after so that the output is inHeight long.
  const padT = kh - 1 - info.padInfo.top;
  const padL = kw - 1 - info.padInfo.left;
  const zh = (oh - 1) * sh + 1;
  const zw = (ow - 1) * sw + 1;
  const padB = inHeight + kh - 1 - zh - padT;
  const padR = inWidth + kw - 1 - zw - padL;
  const w = flipTransposeFilter(filter, backend);
  let result: TensorInfo;
  if (sh === 1 && sw === 1 && padT >= 0 && padL >= 0 && padB >= 0 && padR >= 0) {
    result = callWasmKernel(
      'Conv2D',
      { x: dy, filter: w },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [padT, padB],
          [padL, padR],
          [0, 0],
        ],
        dilations: [1, 1],
        dataFormat: 'NHWC',
      },
      backend,
    );
  } else {
    const dyz = zeroInsertPad(dy, sh, sw, padT, padL, inHeight + kh - 1, inWidth + kw - 1, backend);
    result = callWasmKernel('Conv2D', { x: dyz, filter: w }, { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' }, backend);
    dispose(backend, dyz);
  }
  dispose(backend, w);
  return result;
}

// ---- Depthwise gradients -----------------------------------------------------------------------------
// Forward: y[n,oh,ow,c·M+m] = Σ_{kh,kw} x[n, oh·s + kh·d − padTop, ow·s + kw·d − padLeft, c] · W[kh,kw,c,m].
interface DepthwiseAttrs {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: 'valid' | 'same' | number | BackendUtil.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function depthwiseInfo(xShape: number[], filterShape: number[], attrs: DepthwiseAttrs): Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
}

/** dW[kh,kw,c,m] = Σ_{n,oh,ow} x[n, ih, iw, c] · dy[n,oh,ow,c·M+m]. */
function depthwiseBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs;
  const a = attrs as unknown as DepthwiseAttrs & { filterShape: [number, number, number, number] };
  const info = depthwiseInfo(x.shape, a.filterShape, a);
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, outChannels } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const M = outChannels / C;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = backend.makeOutput([KH, KW, C, M], 'float32');
  const xs = backend.typedArrayFromHeap(x);
  const dys = backend.typedArrayFromHeap(dy);
  const dws = backend.typedArrayFromHeap(out) as Float32Array;
  const acc = new Float64Array(KH * KW * C * M);
  for (let kr = 0; kr < KH; kr++) {
    for (let kc = 0; kc < KW; kc++) {
      const accBase = (kr * KW + kc) * C * M;
      for (let b = 0; b < batchSize; b++) {
        for (let r = 0; r < outHeight; r++) {
          const ih = r * sh + kr * dh - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let q = 0; q < outWidth; q++) {
            const iw = q * sw + kc * dw - left;
            if (iw < 0 || iw >= inWidth) continue;
            const xBase = ((b * inHeight + ih) * inWidth + iw) * C;
            const dyBase = ((b * outHeight + r) * outWidth + q) * outChannels;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[accBase + c] += xs[xBase + c] * dys[dyBase + c];
            } else {
              for (let c = 0; c < C; c++) {
                const xv = xs[xBase + c];
                for (let m = 0; m < M; m++) acc[accBase + c * M + m] += xv * dys[dyBase + c * M + m];
              }
            }
          }
        }
      }
    }
  }
  dws.set(acc);
  return out;
}

/**
 * dX[n,i,j,c] = Σ_{kh,kw,m} dy[n,oh,ow,c·M+m] · W[kh,kw,c,m] over the (oh,ow) that read (i,j): as for Conv2D, a
 * stride-1 depthwise correlation of the zero-inserted dy with the flipped filter (dilation d), run on the
 * backend's depthwise kernel with the C·M channels of dy kept apart, then summed over m.
 */
function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, filter } = inputs;
  const a = attrs as unknown as DepthwiseAttrs & { inputShape: [number, number, number, number] };
  const info = depthwiseInfo(a.inputShape, filter.shape, a);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: oh, outWidth: ow, outChannels } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const M = outChannels / C;
  // Flipped filter, one channel per (c, m): F[a,b,c·M+m,0] = W[KH−1−a, KW−1−b, c, m].
  const flipped = backend.makeOutput([KH, KW, outChannels, 1], 'float32');
  {
    const src = backend.typedArrayFromHeap(filter);
    const dst = backend.typedArrayFromHeap(flipped);
    for (let r = 0; r < KH; r++) {
      for (let q = 0; q < KW; q++) {
        dst.set(
          src.subarray(((KH - 1 - r) * KW + (KW - 1 - q)) * outChannels, ((KH - 1 - r) * KW + (KW - 1 - q) + 1) * outChannels),
          (r * KW + q) * outChannels,
        );
      }
    }
  }
  const padT = (KH - 1) * dh - info.padInfo.top;
  const padL = (KW - 1) * dw - info.padInfo.left;
  const padB = H + (KH - 1) * dh - ((oh - 1) * sh + 1) - padT;
  const padR = W + (KW - 1) * dw - ((ow - 1) * sw + 1) - padL;
  const convAttrs = { strides: [1, 1], dilations: [dh, dw], dimRoundingMode: undefined };
  let perChannel: TensorInfo;
  if (sh === 1 && sw === 1 && padT >= 0 && padL >= 0 && padB >= 0 && padR >= 0) {
    perChannel = callWasmKernel(
      'DepthwiseConv2dNative',
      { x: dy, filter: flipped },
      {
        ...convAttrs,
        pad: [
          [0, 0],
          [padT, padB],
          [padL, padR],
          [0, 0],
        ],
      },
      backend,
    );
  } else {
    const dyz = zeroInsertPad(dy, sh, sw, padT, padL, H + (KH - 1) * dh, W + (KW - 1) * dw, backend);
    perChannel = callWasmKernel('DepthwiseConv2dNative', { x: dyz, filter: flipped }, { ...convAttrs, pad: 'valid' }, backend);
    dispose(backend, dyz);
  }
  dispose(backend, flipped);
  if (M === 1) return perChannel;
  const out = backend.makeOutput([N, H, W, C], 'float32');
  const src = backend.typedArrayFromHeap(perChannel);
  const dst = backend.typedArrayFromHeap(out);
  for (let p = 0, size = N * H * W * C; p < size; p++) {
    let sum = 0;
    for (let m = 0; m < M; m++) sum += src[p * M + m];
    dst[p] = sum;
  }
  dispose(backend, perChannel);
  return out;
}

// ---- UnsortedSegmentSum ------------------------------------------------------------------------------
// out[k, ...] = Σ_{i : ids[i] = k} x[i, ...]; ids outside [0, numSegments) are dropped (as in TensorFlow).
function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, segmentIds } = inputs;
  const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
  const segments = util.sizeFromShape(segmentIds.shape);
  const inner = util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  for (let i = 0; i < segments; i++) {
    const k = ids[i];
    if (k < 0 || k >= numSegments) continue;
    const s = i * inner;
    const d = k * inner;
    for (let j = 0; j < inner; j++) dst[d + j] += xs[s + j];
  }
  return out;
}

// ---- Tile --------------------------------------------------------------------------------------------
// out[i_0..i_r] = x[i_0 mod s_0, ..., i_r mod s_r]; built from the innermost axis outwards by block copies.
function tile({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x } = inputs;
  const reps = (attrs as unknown as { reps: number[] }).reps;
  if (x.dtype === 'string') throw new Error('Tile of strings is not supported on wasm');
  const shape = x.shape;
  const outShape = shape.map((s, i) => s * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = shape.length;
  if (rank === 0) {
    dst.set(src);
    return out;
  }
  const srcStrides = new Array<number>(rank);
  const dstStrides = new Array<number>(rank);
  srcStrides[rank - 1] = 1;
  dstStrides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) {
    srcStrides[d] = srcStrides[d + 1] * shape[d + 1];
    dstStrides[d] = dstStrides[d + 1] * outShape[d + 1];
  }
  const fill = (d: number, srcOffset: number, dstOffset: number): void => {
    const block = shape[d] * dstStrides[d]; // one copy of axis d, already tiled inside
    if (d === rank - 1) {
      dst.set(src.subarray(srcOffset, srcOffset + shape[d]), dstOffset);
    } else {
      for (let i = 0; i < shape[d]; i++) fill(d + 1, srcOffset + i * srcStrides[d], dstOffset + i * dstStrides[d]);
    }
    for (let r = 1; r < reps[d]; r++) dst.copyWithin(dstOffset + r * block, dstOffset, dstOffset + block);
  };
  if (util.sizeFromShape(outShape) > 0) fill(0, 0, 0);
  return out;
}

// ---- Sum and Mean over a block of axes that is not innermost ---------------------------------------
// The stock kernels transpose the reduced axes to the end first (a slow scalar transpose): bias and
// batch-norm gradients reduce (n, h, w) of an (n, h, w, c) tensor. Seen as (outer, reduced, inner),
// out[o, j] = Σ_r x[(o·R + r)·inner + j] is a streaming loop (float64 accumulators). Other cases: stock.
const stockKernels: Record<string, KernelConfig | undefined> = {};

function reduceOuterAxes(kernel: 'Sum' | 'Mean', { inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x } = inputs;
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const rank = x.shape.length;
  const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  const contiguous = axes.every((v, i) => i === 0 || v === axes[i - 1] + 1);
  if (x.dtype !== 'float32' || axes.length === 0 || !contiguous || axes[axes.length - 1] === rank - 1) {
    return stockKernels[kernel]!.kernelFunc({ inputs, backend, attrs } as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  }
  const first = axes[0];
  const last = axes[axes.length - 1];
  const outer = util.sizeFromShape(x.shape.slice(0, first));
  const reduced = util.sizeFromShape(x.shape.slice(first, last + 1));
  const inner = util.sizeFromShape(x.shape.slice(last + 1));
  const outShape = keepDims ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : x.shape.filter((_, i) => i < first || i > last);
  const out = backend.makeOutput(outShape, 'float32');
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const acc = new Float64Array(inner);
  const scale = kernel === 'Mean' ? 1 / reduced : 1;
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0; r < reduced; r++) {
      const base = (o * reduced + r) * inner;
      for (let j = 0; j < inner; j++) acc[j] += src[base + j];
    }
    for (let j = 0; j < inner; j++) dst[o * inner + j] = acc[j] * scale;
  }
  return out;
}

/** The kernels this module installs on the wasm backend, by tfjs kernel name. */
export const WASM_TRAINING_KERNELS: Record<string, (args: KernelArgs) => TensorInfo> = {
  Conv2DBackpropFilter: conv2DBackpropFilter,
  Conv2DBackpropInput: conv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  UnsortedSegmentSum: unsortedSegmentSum,
  Tile: tile,
  Sum: (args) => reduceOuterAxes('Sum', args),
  Mean: (args) => reduceOuterAxes('Mean', args),
};

let installed = false;

/**
 * Registers the kernels above for backend 'wasm' (replacing stock Conv2DBackpropInput, Tile, Sum and Mean; a
 * replaced kernel's setup still runs, since Sum and Mean fall back to it). Idempotent; returns the kernel
 * names. Call it once at start-up (selectBackend does).
 */
export function registerWasmTrainingKernels(): string[] {
  const names = Object.keys(WASM_TRAINING_KERNELS);
  if (installed) return names;
  for (const name of names) {
    const stock = tf.getKernel(name, 'wasm');
    stockKernels[name] = stock;
    if (stock) tf.unregisterKernel(name, 'wasm');
    const config: KernelConfig = {
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: WASM_TRAINING_KERNELS[name] as unknown as KernelFunc,
      setupFunc: stock?.setupFunc,
    };
    tf.registerKernel(config);
  }
  installed = true;
  return names;
}

/** Names of the project's kernels currently registered for wasm (for `repro doctor`). */
export function installedWasmKernels(): string[] {
  return Object.keys(WASM_TRAINING_KERNELS).filter((name) => tf.getKernel(name, 'wasm')?.kernelFunc === (WASM_TRAINING_KERNELS[name] as unknown));
}
