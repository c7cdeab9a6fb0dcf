import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClothing1m } from '../../src/data/clothing1m.js';
import { loadRgbdFolders, loadRgbdSample } from '../../src/data/rgbd.js';
import { loadScface } from '../../src/data/scface.js';
import { loadTinyfacePart } from '../../src/data/tinyface.js';
import { verifyFddb, verifyLock3dface, verifyWiderFace } from '../../src/data/verify.js';
import { parseFddbEllipses, parseWiderFaceAnnotations } from '../../src/data/widerface.js';
import { InputError } from '../../src/core/errors.js';
import { tempDir, writeDepthPng, writeFile, writePng } from './fixtures.js';

const WIDER = [
  '0--Parade/0_Parade_1.jpg',
  '2',
  '10 20 30 40 0 0 0 0 0 0',
  '1 2 3 4 2 1 0 0 1 0',
  '1--Handshaking/1_H_2.jpg',
  '0',
  '0 0 0 0 0 0 0 0 0 0',
  '',
].join('\n');

describe('WIDER FACE annotations', () => {
  it('parses boxes and the zero-face block exactly', () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'gt.txt'), WIDER);
    expect(parseWiderFaceAnnotations(file)).toEqual([
      {
        path: '0--Parade/0_Parade_1.jpg',
        line: 1,
        boxes: [
          { x: 10, y: 20, w: 30, h: 40, blur: 0, expression: 0, illumination: 0, invalid: 0, occlusion: 0, pose: 0 },
          { x: 1, y: 2, w: 3, h: 4, blur: 2, expression: 1, illumination: 0, invalid: 0, occlusion: 1, pose: 0 },
        ],
      },
      { path: '1--Handshaking/1_H_2.jpg', line: 5, boxes: [] },
    ]);
  });

  it('a bad count, a bad box line and a truncated file are InputErrors with the line', () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'gt.txt'), WIDER.replace('\n2\n', '\ntwo\n'));
    expect(() => parseWiderFaceAnnotations(file)).toThrow(`${file}:2: expected a face count (a non-negative integer), got 'two'`);
    writeFileSync(file, WIDER.replace('1 2 3 4 2 1 0 0 1 0', '1 2 3'));
    expect(() => parseWiderFaceAnnotations(file)).toThrow(`${file}:4: bad box line '1 2 3': expected 10 numbers`);
    writeFileSync(file, WIDER.split('\n').slice(0, 3).join('\n'));
    expect(() => parseWiderFaceAnnotations(file)).toThrow(`${file}:3: the file ends inside the 2 boxes of '0--Parade/0_Parade_1.jpg'`);
  });

  it('verifyWiderFace resolves every image and names the annotation line of a missing one', async () => {
    const dir = tempDir();
    for (const split of ['train', 'val']) {
      writeFile(join(dir, 'wider_face_split', `wider_face_${split}_bbx_gt.txt`), WIDER);
      await writePng(join(dir, `WIDER_${split}`, 'images', '0--Parade', '0_Parade_1.jpg'), 6, 5, [1, 1, 1]);
      await writePng(join(dir, `WIDER_${split}`, 'images', '1--Handshaking', '1_H_2.jpg'), 6, 5, [1, 1, 1]);
    }
    const checks = await verifyWiderFace(dir, {});
    expect(checks.find((c) => c.check === 'val faces')!.detail).toBe('2');
    expect(checks.find((c) => c.check === 'train images')!.status).toBe('warn');
    rmSync(join(dir, 'WIDER_val', 'images', '1--Handshaking', '1_H_2.jpg'));
    await expect(verifyWiderFace(dir, {})).rejects.toThrow(`${join(dir, 'wider_face_split', 'wider_face_val_bbx_gt.txt')}:5: missing image`);
  });
});

describe('FDDB ellipse lists', () => {
  it('parses ellipses and verifies ten folds', async () => {
    const dir = tempDir();
    for (let f = 1; f <= 10; f++) {
      const name = `2002/08/${f}/big/img_${f}`;
      writeFile(join(dir, 'FDDB-folds', `FDDB-fold-${String(f).padStart(2, '0')}-ellipseList.txt`), `${name}\n1\n123.5 85.2 1.26 269.69 161.53  1\n`);
      await writePng(join(dir, `${name}.jpg`), 4, 4, [0, 0, 0]);
    }
    const parsed = parseFddbEllipses(join(dir, 'FDDB-folds', 'FDDB-fold-03-ellipseList.txt'));
    expect(parsed).toEqual([
      { path: '2002/08/3/big/img_3', line: 1, boxes: [{ majorRadius: 123.5, minorRadius: 85.2, angle: 1.26, centerX: 269.69, centerY: 161.53 }] },
    ]);
    const checks = await verifyFddb(dir, {});
    expect(checks.slice(0, 2).map((c) => c.detail)).toEqual([
      '10, published 2845: a subset or a different release',
      '10, published 5171: a subset or a different release',
    ]);
  });
});

describe('Clothing1M list files', () => {
  it('joins key lists with label files', () => {
    const dir = tempDir();
    writeFile(join(dir, 'clean_label_kv.txt'), 'images/0/00/a.jpg 3\nimages/1/11/b.jpg 13\n');
    writeFile(join(dir, 'clean_val_key_list.txt'), 'images/1/11/b.jpg\n');
    writeFile(
      join(dir, 'category_names_eng.txt'),
      'T-Shirt\nShirt\nKnitwear\nChiffon\nSweater\nHoodie\nWindbreaker\nJacket\nDowncoat\nSuit\nShawl\nDress\nVest\nUnderwear\n',
    );
    const { samples, classNames } = loadClothing1m(dir, 'cleanVal');
    expect(samples).toEqual([{ path: join(dir, 'images/1/11/b.jpg'), label: 13 }]);
    expect(classNames[13]).toBe('Underwear');
    writeFile(join(dir, 'clean_val_key_list.txt'), 'images/1/11/b.jpg\nimages/9/99/z.jpg\n');
    expect(() => loadClothing1m(dir, 'cleanVal')).toThrow(`${join(dir, 'clean_val_key_list.txt')}:2: 'images/9/99/z.jpg' has no label in clean_label_kv.txt`);
    writeFile(join(dir, 'clean_label_kv.txt'), 'images/0/00/a.jpg 3\nimages/1/11/b.jpg 14\n');
    expect(() => loadClothing1m(dir, 'cleanVal')).toThrow(`${join(dir, 'clean_label_kv.txt')}:2: bad label line 'images/1/11/b.jpg 14'`);
  });
});

describe('SCface and TinyFace file-name layouts', () => {
  it('SCface: subject, camera, distance from the file names', () => {
    const dir = tempDir();
    for (const f of ['surveillance/001_cam1_1.jpg', 'surveillance/130_cam5_3.jpg', 'mugshot/007_frontal.JPG', 'readme.txt']) writeFile(join(dir, f), 'x');
    const { images, ignored } = loadScface(dir);
    expect(images.map(({ subject, kind, camera, distance }) => [subject, kind, camera, distance])).toEqual([
      [7, 'mugshot', 0, 0],
      [1, 'surveillance', 1, 1],
      [130, 'surveillance', 5, 3],
    ]);
    expect(ignored).toEqual(['readme.txt']);
  });

  it('TinyFace: identity from the name prefix or the training sub-folder', () => {
    const dir = tempDir();
    for (const f of ['Training_Set/17/17_1.jpg', 'Training_Set/17/x.jpg', 'Testing_Set/Probe/5_2.jpg', 'Testing_Set/Gallery_Distractor/abc.jpg'])
      writeFile(join(dir, f), 'x');
    expect(loadTinyfacePart(dir, 'train').map((i) => i.identity)).toEqual(['17', '17']);
    expect(loadTinyfacePart(dir, 'probe')).toEqual([{ path: join(dir, 'Testing_Set/Probe/5_2.jpg'), identity: '5' }]);
    expect(loadTinyfacePart(dir, 'galleryDistractor')[0]!.identity).toBeNull();
    writeFile(join(dir, 'Testing_Set/Probe/noprefix.jpg'), 'x');
    expect(() => loadTinyfacePart(dir, 'probe')).toThrow(InputError);
    expect(() => loadTinyfacePart(dir, 'galleryMatch')).toThrow('missing TinyFace folder');
  });
});

describe('RGB-D folders (Lock3DFace, IIIT-D)', () => {
  it('pairs colour and depth files by path and decodes 16-bit depth', async () => {
    const dir = tempDir();
    await writePng(join(dir, '001', 'color', '0001.png'), 4, 3, [100, 50, 0]);
    await writeDepthPng(join(dir, '001', 'depth', '0001.png'), 4, 3, 700);
    await writePng(join(dir, '002', '0005_rgb.png'), 4, 3, [0, 50, 100]);
    await writeDepthPng(join(dir, '002', '0005_depth.png'), 4, 3, 900);
    await writePng(join(dir, '002', '0006_rgb.png'), 4, 3, [0, 0, 0]);
    const set = loadRgbdFolders(dir, 'Lock3DFace');
    expect(set.subjects).toEqual(['001', '002']);
    expect(set.samples.map((s) => s.key)).toEqual(['001/0001', '002/0005']);
    expect(set.unpairedColour).toEqual([join('002', '0006_rgb.png')]);
    const sample = await loadRgbdSample(set.samples[1]!);
    expect(sample.depth.data[0]).toBe(900);
    expect(sample.depth.data[1]).toBe(1000);
    expect(sample.colour.data[2]).toBe(100);
    const checks = await verifyLock3dface(dir, {});
    expect(checks.find((c) => c.check === 'unpaired files')!.status).toBe('warn');
    expect(checks.find((c) => c.check === 'colour/depth pairs')!.detail).toBe('2');
  });
});
