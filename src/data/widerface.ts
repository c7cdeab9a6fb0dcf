// WIDER FACE annotations (Yang et al. CVPR 2016; docs/papers/cassod.md "Datasets"): wider_face_<split>_bbx_gt.txt
// = blocks of: image path line, face-count line, one line per face
// `x1 y1 w h blur expression illumination invalid occlusion pose`; a count of 0 is followed by one
// all-zero line. FDDB (docs/papers/condensation.md "Datasets"): FDDB-fold-XX-ellipseList.txt = image path, count, then
// `major_radius minor_radius angle center_x center_y 1` per face.
import { corruptFile, datasetRelativePath, parseCount, readLines } from './fileio.js';
import { quoted } from '../core/text.js';

export const WIDERFACE_COUNTS = { train: 12_880, val: 3_226, test: 16_097 } as const;

export interface WiderFaceBox {
  x: number;
  y: number;
  w: number;
  h: number;
  blur: number;
  expression: number;
  illumination: number;
  invalid: number;
  occlusion: number;
  pose: number;
}

export interface AnnotatedImage<B> {
  /** Path relative to the images folder, as written in the file. */
  path: string;
  boxes: B[];
  /** Line of the path in the annotation file. */
  line: number;
}

function numbers(file: string, line: number, text: string, count: number, what: string): number[] {
  const f = text.split(/\s+/);
  const v = f.map(Number);
  if (f.length < count || v.slice(0, count).some((x) => !Number.isFinite(x))) {
    throw corruptFile(file, { line }, `bad ${what} line '${quoted(text)}': expected ${count} numbers`, 'download the annotation file again');
  }
  return v.slice(0, count);
}

/** Parses a WIDER FACE ground-truth file. */
export function parseWiderFaceAnnotations(file: string): AnnotatedImage<WiderFaceBox>[] {
  const lines = readLines(file, 'WIDER FACE');
  const out: AnnotatedImage<WiderFaceBox>[] = [];
  let i = 0;
  while (i < lines.length) {
    const pathLine = lines[i]!;
    if (!/\.(jpe?g|png)$/i.test(pathLine.text)) throw corruptFile(file, { line: pathLine.line }, `expected an image path, got '${quoted(pathLine.text)}'`);
    const path = datasetRelativePath(file, pathLine.line, pathLine.text);
    const countLine = lines[i + 1];
    if (!countLine) throw corruptFile(file, { line: pathLine.line }, 'the file ends before the face count');
    const count = parseCount(file, countLine.line, countLine.text, 'a face count');
    const boxLines = Math.max(count, 1);
    if (i + 2 + boxLines > lines.length)
      throw corruptFile(file, { line: lines[lines.length - 1]!.line }, `the file ends inside the ${count} boxes of '${pathLine.text}'`);
    const boxes: WiderFaceBox[] = [];
    for (let k = 0; k < boxLines; k++) {
      const l = lines[i + 2 + k]!;
      const [x, y, w, h, blur, expression, illumination, invalid, occlusion, pose] = numbers(file, l.line, l.text, 10, 'box') as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      if (count > 0) boxes.push({ x, y, w, h, blur, expression, illumination, invalid, occlusion, pose });
    }
    out.push({ path, boxes, line: pathLine.line });
    i += 2 + boxLines;
  }
  return out;
}

export interface FddbEllipse {
  majorRadius: number;
  minorRadius: number;
  angle: number;
  centerX: number;
  centerY: number;
}

/** Parses an FDDB ellipse list (paths have no extension; images are `<path>.jpg`). */
export function parseFddbEllipses(file: string): AnnotatedImage<FddbEllipse>[] {
  const lines = readLines(file, 'FDDB');
  const out: AnnotatedImage<FddbEllipse>[] = [];
  let i = 0;
  while (i < lines.length) {
    const pathLine = lines[i]!;
    const path = datasetRelativePath(file, pathLine.line, pathLine.text);
    const countLine = lines[i + 1];
    if (!countLine) throw corruptFile(file, { line: pathLine.line }, 'the file ends before the face count');
    const count = parseCount(file, countLine.line, countLine.text, 'a face count');
    if (i + 2 + count > lines.length)
      throw corruptFile(file, { line: lines[lines.length - 1]!.line }, `the file ends inside the ${count} ellipses of '${pathLine.text}'`);
    const boxes: FddbEllipse[] = [];
    for (let k = 0; k < count; k++) {
      const l = lines[i + 2 + k]!;
      const [majorRadius, minorRadius, angle, centerX, centerY] = numbers(file, l.line, l.text, 5, 'ellipse') as [number, number, number, number, number];
      boxes.push({ majorRadius, minorRadius, angle, centerX, centerY });
    }
    out.push({ path, boxes, line: pathLine.line });
    i += 2 + count;
  }
  return out;
}
