// Synthetic 3DMM faces: the mesh parsed from @mediapipe/face_mesh, determinism, identities, depth,
// groups, degradation, PNG encoding and the LFW-style folder read back by the LFW/pairs loaders.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import DataSynth from '../../src/commands/data/synth.js';
import { decodeDepth, decodeImage } from '../../src/data/images.js';
import { openLfw } from '../../src/data/lfw.js';
import { resolveAllPairs } from '../../src/data/pairs.js';
import {
  ARCFACE_TEMPLATE_112,
  DEPTH_FLOOR,
  FEATURE_LOOPS,
  GROUP_NAMES,
  MESH_TRIANGLE_COUNT,
  MESH_VERTEX_COUNT,
  createFaceGenerator,
  degradeImage,
  encodePngGray16,
  encodePngRgb8,
  gaussianBlur,
  generateFaceSet,
  loadCanonicalMesh,
  makeSynthPairs,
  parseMesh3d,
  resizeArea,
  resizeBicubic,
  resizeBilinear,
  similarityTransform,
  toFloatImage,
  writeSynthFolder,
  type FaceSample,
} from '../../src/data/synth3dmm/index.js';
import { InputError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';

const ROOT = join(import.meta.dirname, '..', '..');
const temp = mkdtempSync(join(tmpdir(), 'repro-synth-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

describe('canonical mesh', () => {
  const mesh = loadCanonicalMesh();

  it('has 468 vertices with UVs in [0, 1] and 898 triangles', () => {
    expect(MESH_VERTEX_COUNT).toBe(468);
    expect(MESH_TRIANGLE_COUNT).toBe(898);
    expect(mesh.vertexCount).toBe(468);
    expect(mesh.triangleCount).toBe(898);
    expect(mesh.positions.length).toBe(468 * 3);
    expect(mesh.triangles.length).toBe(898 * 3);
    expect(Math.min(...mesh.uvs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...mesh.uvs)).toBeLessThanOrEqual(1);
    expect(Math.max(...mesh.triangles)).toBe(467);
  });

  it('is the canonical face: nose tip nearest, symmetric, only the outer contour is open', () => {
    const z = (i: number) => mesh.positions[3 * i + 2]!;
    let nearest = 0;
    for (let i = 0; i < 468; i++) if (z(i) > z(nearest)) nearest = i;
    expect(nearest).toBe(4);
    // Eye corners 33/263 mirror each other in x.
    expect(mesh.positions[3 * 33]).toBeCloseTo(-mesh.positions[3 * 263]!, 5);
    const edges = new Map<string, number>();
    for (let t = 0; t < 898; t++) {
      const v = [mesh.triangles[3 * t]!, mesh.triangles[3 * t + 1]!, mesh.triangles[3 * t + 2]!];
      for (let k = 0; k < 3; k++) {
        const key = [v[k]!, v[(k + 1) % 3]!].sort((a, b) => a - b).join('-');
        edges.set(key, (edges.get(key) ?? 0) + 1);
      }
    }
    expect([...edges.values()].filter((c) => c === 1).length).toBe(36);
    // Every feature loop is a closed chain of mesh edges.
    for (const loop of Object.values(FEATURE_LOOPS)) {
      loop.forEach((v, i) => expect(edges.has([v, loop[(i + 1) % loop.length]!].sort((a, b) => a - b).join('-'))).toBe(true));
    }
  });

  it('parses packed and unpacked Mesh3d protobuf fields', () => {
    // vertex_type 0, primitive_type 0, two vertices as unpacked fixed32 floats, then packed float
    // vertex_buffer for a third, and indices both unpacked (field 4 varint) and packed.
    const f32 = (x: number) => [...new Uint8Array(new Float32Array([x]).buffer)];
    const unpacked = [1, 2, 3, 0.25, 0.5, 4, 5, 6, 0.75, 1].flatMap((x) => [0x1d, ...f32(x)]);
    const packed = [7, 8, 9, 0, 0.125].flatMap(f32);
    const bytes = new Uint8Array([0x08, 0, 0x10, 0, ...unpacked, 0x1a, packed.length, ...packed, 0x20, 0, 0x22, 2, 1, 2]);
    const mesh3 = parseMesh3d(bytes);
    expect(mesh3.vertexCount).toBe(3);
    expect(Array.from(mesh3.positions)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(mesh3.uvs)).toEqual([0.25, 0.5, 0.75, 1, 0, 0.125]);
    expect(Array.from(mesh3.triangles)).toEqual([0, 1, 2]);
    expect(() => parseMesh3d(new Uint8Array([0x08, 1]))).toThrow(/vertex_type is 1/);
    expect(() => parseMesh3d(new Uint8Array([0x20, 5, 0x20, 0, 0x20, 1]))).toThrow(/triangle index 5/);
  });
});

describe('face generator', () => {
  const gen = createFaceGenerator({ seed: 5 });

  it('is deterministic: same seeds give identical bytes, also from a fresh generator', () => {
    const a = gen.identity(3).render(17);
    const b = createFaceGenerator({ seed: 5 }).identity(3).render(17);
    expect(Buffer.from(a.rgb).equals(Buffer.from(b.rgb))).toBe(true);
    expect(Buffer.from(a.depth.buffer).equals(Buffer.from(b.depth.buffer))).toBe(true);
    const s1 = generateFaceSet({ ids: 2, perId: 2, seed: 9, size: 48 });
    const s2 = generateFaceSet({ ids: 2, perId: 2, seed: 9, size: 48 });
    expect(Buffer.from(s1.images.buffer).equals(Buffer.from(s2.images.buffer))).toBe(true);
    expect(Buffer.from(s1.depth.buffer).equals(Buffer.from(s2.depth.buffer))).toBe(true);
    const other = createFaceGenerator({ seed: 6 }).identity(3).render(17);
    expect(meanAbsDiff(a.rgb, other.rgb)).toBeGreaterThan(5);
  });

  it('different identities differ more in the face than two samples of one identity with pose and light fixed', () => {
    const still = createFaceGenerator({ seed: 5, pose: { yaw: 0, pitch: 0, roll: 0 }, expression: 0, noiseStd: 0, alignJitter: 0 });
    const faceOnly = (f: FaceSample, g: FaceSample) => {
      let s = 0,
        n = 0;
      for (let p = 0; p < f.mask.length; p++)
        if (f.mask[p] && g.mask[p])
          for (let c = 0; c < 3; c++) {
            s += Math.abs(f.rgb[3 * p + c]! - g.rgb[3 * p + c]!);
            n++;
          }
      return s / n;
    };
    // Same sample seed = same light and background; identities 0 and 4 share group-a.
    const a = still.identity(0).render(1);
    const b = still.identity(4).render(1);
    expect(faceOnly(a, b)).toBeGreaterThan(4);
    expect(faceOnly(a, still.identity(0).render(1))).toBe(0);
    // Shapes differ: the face masks of the two identities are not the same.
    let maskDiff = 0;
    for (let p = 0; p < a.mask.length; p++) maskDiff += a.mask[p] !== b.mask[p] ? 1 : 0;
    expect(maskDiff).toBeGreaterThan(50);
  });

  it('writes valid depth inside the face mask and 0 outside; the nearest point is 1', () => {
    for (let k = 0; k < 4; k++) {
      const f = gen.identity(k).render(k);
      let inside = 0;
      let bad = 0;
      let max = 0;
      for (let p = 0; p < f.mask.length; p++) {
        if (f.mask[p]) {
          inside++;
          if (!(f.depth[p]! >= Math.fround(DEPTH_FLOOR) && f.depth[p]! <= 1)) bad++;
          max = Math.max(max, f.depth[p]!);
        } else if (f.depth[p] !== 0) {
          bad++;
        }
      }
      expect(bad).toBe(0);
      expect(max).toBe(1);
      expect(inside / f.mask.length).toBeGreaterThan(0.35);
      expect(inside / f.mask.length).toBeLessThan(0.95);
      // The nose tip (landmark 2) is nearer than the eyes (landmarks 0, 1) in a near-frontal face.
      const at = (i: number) => f.depth[Math.round(f.landmarks[2 * i + 1]!) * 112 + Math.round(f.landmarks[2 * i]!)]!;
      if (Math.abs(f.params.yaw) < 20) expect(at(2)).toBeGreaterThan(Math.max(at(0), at(1)));
    }
  });

  it('aligns the five landmarks to the ArcFace template (within the landmark jitter)', () => {
    const f = createFaceGenerator({ seed: 1, alignJitter: 0, pose: { yaw: 0, pitch: 0, roll: 0 }, expression: 0 })
      .identity(2)
      .render(3);
    // A least-squares similarity: the residual is the mismatch of this identity's proportions and the
    // template's (measured 2-6 px over identities 0-3; identity shape survives alignment).
    const errors = Array.from({ length: 5 }, (_, i) =>
      Math.hypot(f.landmarks[2 * i]! - ARCFACE_TEMPLATE_112[2 * i]!, f.landmarks[2 * i + 1]! - ARCFACE_TEMPLATE_112[2 * i + 1]!),
    );
    expect(Math.max(...errors)).toBeLessThan(8);
    expect(errors.reduce((a, b) => a + b) / 5).toBeLessThan(4);
    // The fit is centred: the landmark centroid equals the template centroid.
    for (let c = 0; c < 2; c++) {
      const mean = (xs: ArrayLike<number>) => Array.from({ length: 5 }, (_, i) => xs[2 * i + c]!).reduce((a, b) => a + b) / 5;
      expect(mean(f.landmarks)).toBeCloseTo(mean(ARCFACE_TEMPLATE_112), 3);
    }
    // Umeyama on an exact similarity recovers it.
    const src = [0, 0, 1, 0, 0, 1, 2, 3];
    const [a, b, tx, ty] = [0.8, 0.6, 5, -2];
    const dst = src.flatMap((_, i) => (i % 2 ? [] : [a * src[i]! - b * src[i + 1]! + tx, b * src[i]! + a * src[i + 1]! + ty]));
    similarityTransform(src, dst).forEach((v, i) => expect(v).toBeCloseTo([a, b, tx, ty][i]!, 10));
  });

  it('has four neutral appearance groups, balanced, with skin tone ordered from group-a to group-d', () => {
    expect(GROUP_NAMES).toEqual(['group-a', 'group-b', 'group-c', 'group-d']);
    const set = generateFaceSet({ ids: 8, perId: 1, seed: 3, size: 56, pose: { yaw: 0, pitch: 0, roll: 0 }, noiseStd: 0 });
    expect(Array.from(set.groups)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    // Mean luminance of a central cheek/forehead patch, per group (2 identities each).
    const lum = [0, 0, 0, 0];
    for (let j = 0; j < set.count; j++) {
      let s = 0;
      for (let y = 14; y < 22; y++) for (let x = 24; x < 32; x++) for (let c = 0; c < 3; c++) s += set.images[((j * 56 + y) * 56 + x) * 3 + c]!;
      lum[set.groups[j]!] += s / 2;
    }
    expect(lum[0]).toBeGreaterThan(lum[1]!);
    expect(lum[1]).toBeGreaterThan(lum[2]!);
    expect(lum[2]).toBeGreaterThan(lum[3]!);
    const custom = createFaceGenerator({ seed: 1, groupOf: () => 3 });
    expect(custom.identity(0).groupName).toBe('group-d');
    expect(() => createFaceGenerator({ seed: 1, groupOf: () => 4 }).identity(0)).toThrow(/groupOf/);
  });

  it('draws occluding patches that cover RGB and, by default, depth', () => {
    const occ = createFaceGenerator({ seed: 2, occlusion: { probability: 1, maxPatches: 1 }, noiseStd: 0 });
    const plain = createFaceGenerator({ seed: 2, noiseStd: 0 });
    const f = occ.identity(0).render(4);
    expect(f.params.occluders).toBe(1);
    const g = plain.identity(0).render(4);
    let changed = 0;
    for (let p = 0; p < f.mask.length; p++)
      if (f.depth[p] !== g.depth[p]) {
        changed++;
        expect(f.depth[p]).toBe(1);
      }
    expect(changed).toBeGreaterThan(0.15 * 0.15 * 112 * 112 * 0.2);
    const rgbOnly = createFaceGenerator({ seed: 2, occlusion: { probability: 1, inDepth: false }, noiseStd: 0 })
      .identity(0)
      .render(4);
    expect(Buffer.from(rgbOnly.depth.buffer).equals(Buffer.from(g.depth.buffer))).toBe(true);
  });

  it('renders at other sizes', () => {
    const f = createFaceGenerator({ seed: 1, size: 64 }).identity(0).render(0);
    expect(f.rgb.length).toBe(64 * 64 * 3);
    expect(f.depth.length).toBe(64 * 64);
    expect(() => createFaceGenerator({ seed: 1, size: 4 })).toThrow(/size/);
  });
});

describe('degradation (low resolution)', () => {
  const face = toFloatImage(createFaceGenerator({ seed: 4 }).identity(1).render(2));

  it('down-samples to any size and optionally back up', () => {
    for (const size of [7, 8, 14, 16, 28, 56]) {
      const lr = degradeImage(face, { size });
      expect([lr.width, lr.height, lr.channels, lr.data.length]).toEqual([size, size, 3, size * size * 3]);
      const up = degradeImage(face, { size, upsampleTo: 112, blurSigma: 1, noiseStd: 0.02, rng: createRng(1) });
      expect([up.width, up.height, up.data.length]).toEqual([112, 112, 112 * 112 * 3]);
      expect(Math.min(...up.data)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...up.data)).toBeLessThanOrEqual(1);
    }
    expect(() => degradeImage(face, { size: 0 })).toThrow(/size/);
    expect(() => degradeImage(face, { size: 8, noiseStd: 0.1 })).toThrow(/rng/);
  });

  it('area, bilinear and blur filters give the exact values of their formulas', () => {
    const img = { data: Float32Array.from({ length: 16 }, (_, i) => i), width: 4, height: 4, channels: 1 };
    // 2x2 box means of a 4x4 ramp.
    expect(Array.from(resizeArea(img, 2, 2).data)).toEqual([2.5, 4.5, 10.5, 12.5]);
    // 4 -> 3: output cell 0 covers input [0, 4/3): weights 3/4, 1/4.
    const row = { data: Float32Array.from([0, 4, 8, 12]), width: 4, height: 1, channels: 1 };
    const r3 = resizeArea(row, 3, 1).data;
    expect(r3[0]).toBeCloseTo(1, 6);
    expect(r3[1]).toBeCloseTo(6, 6);
    expect(r3[2]).toBeCloseTo(11, 6);
    // Bilinear 2 -> 4 with half-pixel centres: 0, 0.25, 0.75, 1 of the way.
    expect(Array.from(resizeBilinear({ data: Float32Array.from([0, 4]), width: 2, height: 1, channels: 1 }, 4, 1).data)).toEqual([0, 1, 3, 4]);
    // Bicubic (Keys a = -0.5) reproduces linear ramps exactly away from the clamped edges and keeps
    // the value at a sample position when the size is unchanged.
    const ramp = { data: Float32Array.from({ length: 8 }, (_, i) => i), width: 8, height: 1, channels: 1 };
    const up = resizeBicubic(ramp, 16, 1).data;
    for (let o = 4; o < 12; o++) expect(up[o]).toBeCloseTo((o + 0.5) / 2 - 0.5, 6);
    expect(Array.from(resizeBicubic(ramp, 8, 1).data)).toEqual(Array.from(ramp.data));
    const bic = degradeImage(face, { size: 16, downMethod: 'bicubic', upsampleTo: 112, upMethod: 'bicubic' });
    expect([bic.width, Math.min(...bic.data) >= 0, Math.max(...bic.data) <= 1]).toEqual([112, true, true]);
    const flat = { data: new Float32Array(25).fill(0.3), width: 5, height: 5, channels: 1 };
    const blurredFlat = gaussianBlur(flat, 1.5).data;
    expect(Math.max(...blurredFlat.map((v) => Math.abs(v - 0.3)))).toBeLessThan(1e-6);
    const blurred = degradeImage(face, { size: 112, blurSigma: 2 });
    let var0 = 0,
      var1 = 0;
    for (let i = 3; i < face.data.length; i++) {
      var0 += (face.data[i]! - face.data[i - 3]!) ** 2;
      var1 += (blurred.data[i]! - blurred.data[i - 3]!) ** 2;
    }
    expect(var1).toBeLessThan(var0 / 2);
  });
});

describe('PNG files and the LFW-style folder', () => {
  it('encodes RGB and 16-bit depth PNGs that decode to the same values', async () => {
    const f = createFaceGenerator({ seed: 8, size: 40 }).identity(0).render(1);
    const rgb = await decodeImage(encodePngRgb8(f.rgb, 40, 40), 'rgb.png');
    expect(Buffer.from(rgb.data).equals(Buffer.from(f.rgb))).toBe(true);
    const depth = await decodeDepth(encodePngGray16(f.depth, 40, 40), 'depth.png');
    expect(Array.from(depth.data)).toEqual(Array.from(f.depth, (d) => Math.round(d * 65535)));
  });

  it('makes LFW-format pairs: identity-disjoint folds, perFold same then perFold different', () => {
    const { perFold, pairs } = makeSynthPairs(8, 3, 2, 100, createRng(1));
    expect(perFold).toBe(12); // 4 identities per fold x C(3, 2) same pairs
    expect(pairs.length).toBe(2 * 2 * 12);
    pairs.forEach((p, i) => {
      const fold = Math.floor(i / 24);
      expect(p.same).toBe(i % 24 < 12);
      expect(p.a[0] % 2).toBe(fold);
      expect(p.b[0] % 2).toBe(fold);
      if (p.same) expect(p.a[0]).toBe(p.b[0]);
      else expect(p.a[0]).not.toBe(p.b[0]);
    });
  });

  it('writes a folder the LFW loader reads, atomically and byte-identically for one seed', () => {
    const out = join(temp, 'faces');
    const summary = writeSynthFolder({ out, ids: 4, perId: 3, seed: 2, size: 32, folds: 2, pairsPerFold: 2 });
    expect(summary).toMatchObject({ identities: 4, images: 12, folds: 2, pairsPerFold: 2, pairs: 8 });
    const ds = openLfw(out);
    expect(ds.pairs.folds).toBe(2);
    expect(ds.pairs.perFold).toBe(2);
    expect(resolveAllPairs(ds).pairs).toBe(8);
    expect(existsSync(join(out, 'synth_00001', 'depth', 'synth_00001_0003.png'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'synth3dmm.json'), 'utf8'));
    expect(manifest.groups).toEqual({ synth_00001: 'group-a', synth_00002: 'group-b', synth_00003: 'group-c', synth_00004: 'group-d' });
    expect(readdirSync(temp).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(() => writeSynthFolder({ out, ids: 4, perId: 3, seed: 2, size: 32, folds: 2 })).toThrow(InputError);
    const again = join(temp, 'faces-again');
    writeSynthFolder({ out: again, ids: 4, perId: 3, seed: 2, size: 32, folds: 2, pairsPerFold: 2 });
    for (const file of ['pairs.txt', 'synth_00003/synth_00003_0002.png', 'synth_00003/depth/synth_00003_0002.png']) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(out, file)))).toBe(true);
    }
    expect(() => writeSynthFolder({ out: join(temp, 'x'), ids: 3, perId: 2, seed: 1, folds: 2 })).toThrow(/too few/);
    expect(() => writeSynthFolder({ out: join(temp, 'x'), ids: 4, perId: 1, seed: 1, folds: 2 })).toThrow(/per-id/);
  });

  it('`repro data synth` writes the folder and reports it as JSON; bad flags exit 2', async () => {
    const out = join(temp, 'cli');
    let stdout = '';
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += a.join(' ')));
    try {
      await DataSynth.run(['--ids', '4', '--per-id', '2', '--folds', '2', '--size', '24', '--out', out, '--json'], ROOT);
    } finally {
      log.mockRestore();
    }
    expect(JSON.parse(stdout)).toMatchObject({ identities: 4, images: 8, size: 24, folds: 2, pairsPerFold: 2 });
    expect(resolveAllPairs(openLfw(out)).pairs).toBe(8);
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const log2 = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const exit = await DataSynth.run(['--ids', '4', '--per-id', '2', '--out', out], ROOT).then(
        () => 0,
        (e: { oclif?: { exit?: number } }) => e.oclif?.exit ?? -1,
      );
      expect(exit).toBe(2); // exists without --force
      const bad = await DataSynth.run(['--ids', '4', '--per-id', '2', '--folds', '2', '--occlusion', '2', '--out', join(temp, 'y')], ROOT).then(
        () => 0,
        (e: { oclif?: { exit?: number } }) => e.oclif?.exit ?? -1,
      );
      expect(bad).toBe(2);
    } finally {
      err.mockRestore();
      log2.mockRestore();
    }
  });
});
