// Plain-JS reference convolutions for checking the CASSOD geometry (docs/papers/cassod.md "Geometry"):
// two cascaded 2x2 filters with rate d equal one 3x3 filter with rate d and the composed kernel.

export type Matrix = number[][];

/** Valid 2-D correlation of x with kernel k at dilation d: y[i][j] = Σ k[p][q]·x[i+pd][j+qd]. */
export function dilatedCorrelate(x: Matrix, k: Matrix, d: number): Matrix {
  const kh = k.length;
  const kw = k[0]!.length;
  const oh = x.length - (kh - 1) * d;
  const ow = x[0]!.length - (kw - 1) * d;
  if (oh < 1 || ow < 1) throw new RangeError('input smaller than the dilated kernel');
  const y: Matrix = [];
  for (let i = 0; i < oh; i++) {
    const row: number[] = [];
    for (let j = 0; j < ow; j++) {
      let s = 0;
      for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) s += k[p]![q]! * x[i + p * d]![j + q * d]!;
      row.push(s);
    }
    y.push(row);
  }
  return y;
}

/** Composite kernel of a cascade: the full 2-D convolution K[p][q] = Σ a[i][j]·b[p−i][q−j]. */
export function composeKernels(a: Matrix, b: Matrix): Matrix {
  const h = a.length + b.length - 1;
  const w = a[0]!.length + b[0]!.length - 1;
  const k: Matrix = Array.from({ length: h }, () => new Array<number>(w).fill(0));
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a[0]!.length; j++) {
      for (let p = 0; p < b.length; p++) for (let q = 0; q < b[0]!.length; q++) k[i + p]![j + q]! += a[i]![j]! * b[p]![q]!;
    }
  }
  return k;
}

/** Multi-channel tensor as [channel][row][col]. */
export type Tensor3 = Matrix[];

/** Depthwise valid correlation: channel c with kernel dw[c], rate d. */
export function depthwiseCorrelate(x: Tensor3, dw: Matrix[], d: number): Tensor3 {
  return x.map((xc, c) => dilatedCorrelate(xc, dw[c]!, d));
}

/** Regular valid correlation: y[o] = Σ_c x[c] ⋆ w[o][c], rate d. */
export function convCorrelate(x: Tensor3, w: Matrix[][], d: number): Tensor3 {
  return w.map((wo) => {
    const parts = x.map((xc, c) => dilatedCorrelate(xc, wo[c]!, d));
    return parts[0]!.map((row, i) => row.map((_, j) => parts.reduce((s, m) => s + m[i]![j]!, 0)));
  });
}

/**
 * The regular 3x3 filter equal to the CASSOD module depthwise 2x2 (a[c]) -> regular 2x2 (b[o][c]):
 * K[o][c] = a[c] ⊛ b[o][c] (no nonlinearity in between).
 */
export function composeCassod(dw: Matrix[], w: Matrix[][]): Matrix[][] {
  return w.map((wo) => wo.map((woc, c) => composeKernels(dw[c]!, woc)));
}
