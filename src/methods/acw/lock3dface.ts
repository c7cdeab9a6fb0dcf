// Lock3DFace protocol (docs/papers/acw.md "Experimental protocol" [recon, usual in Led3D / Cui et al.]):
// clip folders `<subject>_Kinect_<FE|NU|OC|PS|TM>_<session><COLOR|DEPTH|INFRARED>` (Led3D's layout,
// read by src/data/rgbd.ts); 340 training subjects (here: the first 340 in sorted order [recon], used
// only for ACW / feature fusion / the paired depth control) and the rest for testing; gallery = the
// first frame of the first NU session of each test subject (Led3D's demo gallery); probes = every
// k-th frame of the FE, OC, PS, TM clips (and of the other NU frames, the clean reference).
// Preprocessing [recon]: colour resized to the RGB model's side (frames assumed to be face crops);
// depth: valid = non-zero, the face-region range [p2, p98] mapped to [1, DEPTH_FLOOR] (near = bright),
// holes 0, area-resampled to the depth net's side.
import { InputError } from '../../core/errors.js';
import { DEPTH_FLOOR, resizeArea, resizeBilinear } from '../../data/synth3dmm/index.js';
import { decodeDepth, decodeImage } from '../../data/images.js';
import { loadRgbdFolders, type RgbdSample } from '../../data/rgbd.js';

export const LOCK3DFACE_SUBSETS = ['FE', 'OC', 'PS', 'TM'] as const;

export interface Lock3dOptions {
  trainSubjects: number;
  frameStride: number;
  trainFramesPerClip: number;
  rgbSize: number;
  depthSize: number;
}

export interface Lock3dSplit {
  rgb: Float32Array;
  depth: Float32Array;
  labels: Int32Array;
  conditions: string[];
  classes: number;
}

/** Natural order of frame keys ("…/2" before "…/10"). */
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export interface Lock3dClip {
  subject: string;
  condition: string;
  session: number;
  frames: RgbdSample[];
}

/** Groups paired frames into clips; throws exit 2 for frames outside the Lock3DFace naming. */
export function lock3dClips(samples: readonly RgbdSample[], root: string): Lock3dClip[] {
  const clips = new Map<string, Lock3dClip>();
  for (const s of samples) {
    if (!s.condition || s.session === undefined) {
      throw new InputError(
        `${s.colour}: not inside a Lock3DFace clip folder <subject>_Kinect_<FE|NU|OC|PS|TM>_<session>COLOR (and …DEPTH). Fix: keep the clip folders of the download under ${root}.`,
      );
    }
    if (!['FE', 'NU', 'OC', 'PS', 'TM'].includes(s.condition))
      throw new InputError(`${s.colour}: unknown Lock3DFace condition '${s.condition}' (expected FE, NU, OC, PS or TM). Fix: rename or remove the clip.`);
    const id = `${s.subject}|${s.condition}|${s.session}`;
    const clip = clips.get(id) ?? { subject: s.subject, condition: s.condition, session: s.session, frames: [] };
    clip.frames.push(s);
    clips.set(id, clip);
  }
  for (const c of clips.values()) c.frames.sort((a, b) => natural(a.key, b.key));
  return [...clips.values()].sort((a, b) => natural(`${a.subject}|${a.condition}|${a.session}`, `${b.subject}|${b.condition}|${b.session}`));
}

/** Gallery frame of a subject: the first frame of its lowest-numbered NU session. */
export function galleryFrame(clips: readonly Lock3dClip[], subject: string): RgbdSample | undefined {
  const nu = clips.filter((c) => c.subject === subject && c.condition === 'NU').sort((a, b) => a.session - b.session);
  return nu[0]?.frames[0];
}

/** Depth normalisation [recon]: face-region range to (0, 1], near = bright, holes 0. */
export function normaliseDepth(raw: ArrayLike<number>): Float32Array {
  const valid = Array.from(raw)
    .filter((v) => v > 0)
    .sort((a, b) => a - b);
  const out = new Float32Array(raw.length);
  if (valid.length === 0) return out;
  const lo = valid[Math.floor(0.02 * (valid.length - 1))]!;
  const hi = valid[Math.floor(0.98 * (valid.length - 1))]!;
  const span = Math.max(1e-6, hi - lo);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    out[i] = v > 0 ? Math.min(1, Math.max(DEPTH_FLOOR, 1 - (v - lo) / span)) : 0;
  }
  return out;
}

async function decodeFrames(frames: readonly RgbdSample[], o: Lock3dOptions): Promise<{ rgb: Float32Array; depth: Float32Array }> {
  const rgbPer = o.rgbSize * o.rgbSize * 3;
  const dPer = o.depthSize * o.depthSize;
  const rgb = new Float32Array(frames.length * rgbPer);
  const depth = new Float32Array(frames.length * dPer);
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k]!;
    const c = await decodeImage(f.colour, f.colour, { channels: 3 });
    const img = resizeBilinear({ data: Float32Array.from(c.data, (v) => v / 255), width: c.width, height: c.height, channels: 3 }, o.rgbSize, o.rgbSize);
    rgb.set(img.data, k * rgbPer);
    const d = await decodeDepth(f.depth, f.depth);
    if (d.channels !== 1)
      throw new InputError(
        `${f.depth}: depth map has ${d.channels} channels, expected 1 (16-bit or 8-bit grey). Fix: export the DEPTH frames as single-channel PNGs.`,
      );
    const n = normaliseDepth(d.data);
    depth.set(resizeArea({ data: n, width: d.width, height: d.height, channels: 1 }, o.depthSize, o.depthSize).data, k * dPer);
  }
  return { rgb, depth };
}

/** Loads the split (all structural checks run before any decoding or training). */
export async function loadLock3dfaceProtocol(
  root: string,
  o: Lock3dOptions,
): Promise<{ train: Lock3dSplit; test: Lock3dSplit; counts: { subjects: number; clips: number; trainSubjects: number; testSubjects: number } }> {
  const set = loadRgbdFolders(root, 'lock3dface');
  if (set.samples.length === 0) {
    throw new InputError(
      `${root}: no paired colour/depth frames (${set.unpairedColour.length} colour and ${set.unpairedDepth.length} depth files without a partner). Fix: extract the clips as <subject>_Kinect_<cond>_<session>COLOR/ and …DEPTH/ frame folders.`,
    );
  }
  const clips = lock3dClips(set.samples, root);
  const subjects = [...new Set(clips.map((c) => c.subject))].sort(natural);
  if (subjects.length <= o.trainSubjects) {
    throw new InputError(
      `${root}: ${subjects.length} subjects, but the protocol trains on ${o.trainSubjects} and tests on the rest. Fix: use the complete Lock3DFace copy (509 subjects).`,
    );
  }
  const trainIds = subjects.slice(0, o.trainSubjects);
  const testIds = subjects.slice(o.trainSubjects);
  const trainFrames: RgbdSample[] = [];
  const trainLabels: number[] = [];
  const trainConds: string[] = [];
  trainIds.forEach((s, label) => {
    for (const c of clips.filter((x) => x.subject === s)) {
      const k = Math.min(o.trainFramesPerClip, c.frames.length);
      for (let i = 0; i < k; i++) {
        trainFrames.push(c.frames[Math.floor((i * c.frames.length) / k)]!);
        trainLabels.push(label);
        trainConds.push(c.condition);
      }
    }
  });
  const testFrames: RgbdSample[] = [];
  const testLabels: number[] = [];
  const testConds: string[] = [];
  testIds.forEach((s, label) => {
    const g = galleryFrame(clips, s);
    if (!g)
      throw new InputError(
        `${root}: test subject ${s} has no NU clip, so it has no gallery frame. Fix: add its ${s}_Kinect_NU_1COLOR/DEPTH clip or remove the subject.`,
      );
    testFrames.push(g);
    testLabels.push(label);
    testConds.push('GA');
    for (const c of clips.filter((x) => x.subject === s)) {
      c.frames.forEach((f, i) => {
        if (f === g || i % o.frameStride !== 0) return;
        testFrames.push(f);
        testLabels.push(label);
        testConds.push(c.condition);
      });
    }
  });
  const train = await decodeFrames(trainFrames, o);
  const test = await decodeFrames(testFrames, o);
  return {
    train: { ...train, labels: Int32Array.from(trainLabels), conditions: trainConds, classes: trainIds.length },
    test: { ...test, labels: Int32Array.from(testLabels), conditions: testConds, classes: testIds.length },
    counts: { subjects: subjects.length, clips: clips.length, trainSubjects: trainIds.length, testSubjects: testIds.length },
  };
}
