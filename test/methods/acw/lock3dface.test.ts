// Lock3DFace loader and protocol on fixture folders the test writes (Led3D's naming:
// <subject>_Kinect_<FE|NU|OC|PS|TM>_<session><COLOR|DEPTH>/<frame>.png).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetMissingError, InputError } from '../../../src/core/errors.js';
import { loadRgbdFolders } from '../../../src/data/rgbd.js';
import { encodePngGray16, encodePngRgb8 } from '../../../src/data/synth3dmm/index.js';
import { galleryFrame, loadLock3dfaceProtocol, lock3dClips, normaliseDepth } from '../../../src/methods/acw/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes clips: subject → [condition, session, frames]. Colour encodes (subject, clip, frame) in red/green. */
function fixture(clips: Record<string, [string, number, number][]>, layout: 'split' | 'flat' = 'split'): string {
  const root = mkdtempSync(join(tmpdir(), 'lock3d-'));
  dirs.push(root);
  for (const [subject, list] of Object.entries(clips)) {
    list.forEach(([cond, session, frames], ci) => {
      const clip = `${subject}_Kinect_${cond}_${session}`;
      const cdir = layout === 'split' ? join(root, 'color', `${clip}COLOR`) : join(root, `${clip}COLOR`);
      const ddir = layout === 'split' ? join(root, 'depth', `${clip}DEPTH`) : join(root, `${clip}DEPTH`);
      mkdirSync(cdir, { recursive: true });
      mkdirSync(ddir, { recursive: true });
      for (let f = 1; f <= frames; f++) {
        const rgb = new Uint8Array(8 * 8 * 3).fill(Number(subject) * 10 + ci);
        rgb[1] = f;
        writeFileSync(join(cdir, `${f}.png`), encodePngRgb8(rgb, 8, 8));
        const depth = Float32Array.from({ length: 64 }, (_, i) => (i % 8 > 1 ? 0.1 + 0.001 * i : 0));
        writeFileSync(join(ddir, `${f}.png`), encodePngGray16(depth, 8, 8));
      }
    });
  }
  return root;
}

describe('Lock3DFace naming (Led3D layout)', () => {
  it('pairs COLOR and DEPTH frames and reads subject, condition and session', () => {
    const root = fixture({
      '001': [
        ['NU', 1, 2],
        ['FE', 1, 1],
        ['NU', 2, 1],
      ],
      '002': [['PS', 1, 1]],
    });
    const set = loadRgbdFolders(root, 'lock3dface');
    expect(set.samples).toHaveLength(5);
    expect(set.unpairedColour).toEqual([]);
    expect(set.unpairedDepth).toEqual([]);
    expect(set.subjects).toEqual(['001', '002']);
    const nu2 = set.samples.find((s) => s.colour.includes('001_Kinect_NU_2COLOR'))!;
    expect(nu2).toMatchObject({ subject: '001', condition: 'NU', session: 2 });
    expect(nu2.depth).toContain('001_Kinect_NU_2DEPTH');
    // Colour and depth clip folders side by side (no color/ depth/ parents) pair the same way.
    expect(loadRgbdFolders(fixture({ '003': [['OC', 1, 2]] }, 'flat'), 'lock3dface').samples.map((s) => [s.subject, s.condition, s.session])).toEqual([
      ['003', 'OC', 1],
      ['003', 'OC', 1],
    ]);
  });

  it('gallery = first frame (natural order) of the first NU session', () => {
    const root = fixture({
      '001': [
        ['NU', 2, 3],
        ['NU', 1, 12],
        ['TM', 1, 2],
      ],
    });
    const clips = lock3dClips(loadRgbdFolders(root, 'lock3dface').samples, root);
    expect(clips.map((c) => `${c.condition}${c.session}:${c.frames.length}`)).toEqual(['NU1:12', 'NU2:3', 'TM1:2']);
    const g = galleryFrame(clips, '001')!;
    expect(g.colour).toMatch(/001_Kinect_NU_1COLOR[/\\]1\.png$/);
    // Frame 2 precedes frame 10 (natural, not lexicographic, order).
    const nu1 = clips[0]!.frames.map((f) => f.colour.replace(/.*[/\\]/, ''));
    expect(nu1.slice(0, 3)).toEqual(['1.png', '2.png', '3.png']);
  });

  it('splits subjects, keeps the gallery out of the probes and decodes to the requested sizes', async () => {
    const root = fixture({
      '001': [
        ['NU', 1, 2],
        ['FE', 1, 2],
      ],
      '002': [
        ['NU', 1, 3],
        ['FE', 1, 2],
        ['OC', 1, 2],
      ],
      '003': [
        ['NU', 1, 1],
        ['PS', 1, 4],
        ['TM', 1, 1],
      ],
    });
    const p = await loadLock3dfaceProtocol(root, { trainSubjects: 1, frameStride: 1, trainFramesPerClip: 1, rgbSize: 4, depthSize: 4 });
    expect(p.counts).toEqual({ subjects: 3, clips: 8, trainSubjects: 1, testSubjects: 2 });
    expect(p.train.labels.length).toBe(2); // one frame per clip of subject 001
    expect(p.test.conditions.filter((c) => c === 'GA')).toHaveLength(2);
    // Subject 002: gallery + 2 FE + 2 other NU frames + 2 OC (clips in sorted order); subject 003: gallery + 4 PS + 1 TM.
    expect(p.test.conditions).toEqual(['GA', 'FE', 'FE', 'NU', 'NU', 'OC', 'OC', 'GA', 'PS', 'PS', 'PS', 'PS', 'TM']);
    expect(Array.from(p.test.labels)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(p.test.rgb.length).toBe(13 * 4 * 4 * 3);
    expect(p.test.depth.length).toBe(13 * 16);
    for (const v of p.test.depth) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('malformed folders are exit 2 naming the file or subject and the fix, before decoding; a missing folder is exit 3', async () => {
    const opts = { trainSubjects: 1, frameStride: 1, trainFramesPerClip: 1, rgbSize: 4, depthSize: 4 };
    const empty = mkdtempSync(join(tmpdir(), 'lock3d-empty-'));
    dirs.push(empty);
    await expect(loadLock3dfaceProtocol(empty, opts)).rejects.toThrow(/no paired colour\/depth frames.*Fix:/);
    await expect(loadLock3dfaceProtocol(join(empty, 'nope'), opts)).rejects.toBeInstanceOf(DatasetMissingError);
    const noNu = fixture({ '001': [['NU', 1, 1]], '002': [['FE', 1, 1]] });
    const err = await loadLock3dfaceProtocol(noNu, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/test subject 002 has no NU clip.*Fix:/);
    const stray = fixture({ '001': [['NU', 1, 1]], '002': [['NU', 1, 1]] });
    mkdirSync(join(stray, 'color', 'misc'), { recursive: true });
    mkdirSync(join(stray, 'depth', 'misc'), { recursive: true });
    writeFileSync(join(stray, 'color', 'misc', 'a.png'), encodePngRgb8(new Uint8Array(8 * 8 * 3), 8, 8));
    writeFileSync(join(stray, 'depth', 'misc', 'a.png'), encodePngGray16(new Float32Array(64), 8, 8));
    await expect(loadLock3dfaceProtocol(stray, opts)).rejects.toThrow(/misc[/\\]a\.png: not inside a Lock3DFace clip folder.*Fix:/);
    const few = fixture({ '001': [['NU', 1, 1]] });
    await expect(loadLock3dfaceProtocol(few, opts)).rejects.toThrow(/1 subjects, but the protocol trains on 1/);
  });

  it('depth normalisation maps the face range to (0, 1] with near = bright and holes = 0', () => {
    const raw = [0, ...Array.from({ length: 101 }, (_, i) => 1000 + i), 0];
    const n = normaliseDepth(raw);
    expect(n[0]).toBe(0);
    expect(n[102]).toBe(0);
    expect(n[1]).toBe(1); // nearest (smallest z) = brightest
    for (let i = 2; i <= 101; i++) expect(n[i]!).toBeLessThanOrEqual(n[i - 1]!);
    expect(n[50]!).toBeGreaterThan(0.4);
    expect(n[50]!).toBeLessThan(0.6);
    expect(n[101]!).toBeGreaterThan(0);
  });
});
