// Z-buffer triangle rasteriser with edge functions (pixel centres at +0.5), back faces culled.
// Interpolates depth, UV and the per-vertex Lambert term n·l (Gouraud) for the shading pass.

export interface RasterTarget {
  size: number;
  /** Screen z of the nearest surface per pixel (larger = nearer); -Infinity where empty. */
  zbuf: Float32Array;
  u: Float32Array;
  v: Float32Array;
  /** Interpolated max(0, n·l). */
  lambert: Float32Array;
  /** Triangle material + 1 per pixel; 0 = background. */
  material: Uint8Array;
}

export function createRasterTarget(size: number): RasterTarget {
  const n = size * size;
  return {
    size,
    zbuf: new Float32Array(n),
    u: new Float32Array(n),
    v: new Float32Array(n),
    lambert: new Float32Array(n),
    material: new Uint8Array(n),
  };
}

export interface ScreenMesh {
  /** Screen x, y (pixels, y down) and z (larger = nearer) per vertex. */
  sx: Float32Array;
  sy: Float32Array;
  sz: Float32Array;
  uvs: Float32Array;
  lambert: Float32Array;
  triangles: Uint16Array;
  triangleMaterial: Uint8Array;
}

/** Clears the target and draws every front-facing triangle of `mesh`. */
export function rasterize(mesh: ScreenMesh, target: RasterTarget): void {
  const { size, zbuf, u, v, lambert, material } = target;
  zbuf.fill(-Infinity);
  material.fill(0);
  const { sx, sy, sz, uvs, triangles, triangleMaterial } = mesh;
  const light = mesh.lambert;
  const triCount = triangleMaterial.length;
  for (let t = 0; t < triCount; t++) {
    const i0 = triangles[3 * t]!,
      i1 = triangles[3 * t + 1]!,
      i2 = triangles[3 * t + 2]!;
    const x0 = sx[i0]!,
      y0 = sy[i0]!,
      x1 = sx[i1]!,
      y1 = sy[i1]!,
      x2 = sx[i2]!,
      y2 = sy[i2]!;
    // Signed area in a y-down frame: counter-clockwise-from-the-viewer triangles have area < 0.
    const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    if (area >= 0) continue;
    const inv = 1 / area;
    const minX = Math.max(0, Math.floor(Math.min(x0, x1, x2)));
    const maxX = Math.min(size - 1, Math.ceil(Math.max(x0, x1, x2)));
    const minY = Math.max(0, Math.floor(Math.min(y0, y1, y2)));
    const maxY = Math.min(size - 1, Math.ceil(Math.max(y0, y1, y2)));
    if (minX > maxX || minY > maxY) continue;
    const z0 = sz[i0]!,
      z1 = sz[i1]!,
      z2 = sz[i2]!;
    const u0 = uvs[2 * i0]!,
      u1 = uvs[2 * i1]!,
      u2 = uvs[2 * i2]!;
    const v0 = uvs[2 * i0 + 1]!,
      v1 = uvs[2 * i1 + 1]!,
      v2 = uvs[2 * i2 + 1]!;
    const l0 = light[i0]!,
      l1 = light[i1]!,
      l2 = light[i2]!;
    const mat = triangleMaterial[t]! + 1;
    // Edge functions w_k(p) for the vertex opposite each edge, stepped per pixel.
    const a0 = y1 - y2,
      b0 = x2 - x1;
    const a1 = y2 - y0,
      b1 = x0 - x2;
    const a2 = y0 - y1,
      b2 = x1 - x0;
    const px0 = minX + 0.5;
    for (let py = minY; py <= maxY; py++) {
      const cy = py + 0.5;
      let w0 = (px0 - x1) * a0 + (cy - y1) * b0;
      let w1 = (px0 - x2) * a1 + (cy - y2) * b1;
      let w2 = (px0 - x0) * a2 + (cy - y0) * b2;
      let idx = py * size + minX;
      for (let px = minX; px <= maxX; px++, idx++, w0 += a0, w1 += a1, w2 += a2) {
        // Inside when every edge function has the sign of the area (here: ≤ 0).
        if (w0 > 0 || w1 > 0 || w2 > 0) continue;
        const b0c = w0 * inv,
          b1c = w1 * inv,
          b2c = 1 - b0c - b1c;
        const z = b0c * z0 + b1c * z1 + b2c * z2;
        if (z <= zbuf[idx]!) continue;
        zbuf[idx] = z;
        u[idx] = b0c * u0 + b1c * u1 + b2c * u2;
        v[idx] = b0c * v0 + b1c * v1 + b2c * v2;
        lambert[idx] = b0c * l0 + b1c * l1 + b2c * l2;
        material[idx] = mat;
      }
    }
  }
}
