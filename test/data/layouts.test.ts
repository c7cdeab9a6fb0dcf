// The distributed folder layouts confirmed from public code (sources in the loaders' headers).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAllPairs, pairImagePath } from '../../src/data/pairs.js';
import { buptGroupsRoot, openBuptBalancedface, openRfwGroup } from '../../src/data/rfw.js';
import { loadRgbdFolders } from '../../src/data/rgbd.js';
import { loadScface } from '../../src/data/scface.js';
import { loadTinyfacePart } from '../../src/data/tinyface.js';
import { verifyBuptBalancedface } from '../../src/data/verify.js';
import { InputError } from '../../src/core/errors.js';
import { jpegBytes, tempDir, writeFile } from './fixtures.js';

describe('RFW', () => {
  it('test/data/<Group>/<id>/<id>_000n.jpg with tab-separated test/txts/<Group>/<Group>_pairs.txt lines', () => {
    const root = tempDir();
    for (const f of ['m.0c7mh2/m.0c7mh2_0001.jpg', 'm.0c7mh2/m.0c7mh2_0004.jpg', 'm.0bwm3ws/m.0bwm3ws_0003.jpg'])
      writeFile(join(root, 'test', 'data', 'Asian', f), 'x');
    writeFile(join(root, 'test', 'txts', 'Asian', 'Asian_pairs.txt'), 'm.0c7mh2\t1\t4\nm.0c7mh2\t1\tm.0bwm3ws\t3\n');
    const ds = openRfwGroup(root, 'Asian');
    expect(ds.pairs.pairs.map((p) => p.same)).toEqual([true, false]);
    expect(resolveAllPairs(ds)).toEqual({ pairs: 2, images: 3 });
    expect(pairImagePath(ds, ds.pairs.pairs[1]!, 'b')).toBe(join(root, 'test', 'data', 'Asian', 'm.0bwm3ws', 'm.0bwm3ws_0003.jpg'));
  });
});

describe('BUPT-Balancedface', () => {
  it('race_per_7000/<Group>/<identity>/ directly or under images/; the verifier counts each group', async () => {
    const jpg = await jpegBytes(4, 4, [10, 20, 30]);
    for (const base of ['race_per_7000', join('images', 'race_per_7000')]) {
      const root = tempDir();
      for (const g of ['African', 'Asian', 'Caucasian', 'Indian']) {
        writeFile(join(root, base, g, `${g}_id1`, '1.jpg'), jpg);
        writeFile(join(root, base, g, `${g}_id2`, '1.jpg'), jpg);
        writeFile(join(root, base, g, `${g}_id2`, '2.jpg'), jpg);
      }
      expect(buptGroupsRoot(root)).toBe(join(root, base));
      const groups = openBuptBalancedface(root);
      expect(groups.Indian.map((i) => [i.name, i.files])).toEqual([
        ['Indian_id1', ['1.jpg']],
        ['Indian_id2', ['1.jpg', '2.jpg']],
      ]);
      const checks = await verifyBuptBalancedface(root, {});
      expect(checks[0]).toEqual({ check: 'African identities', status: 'ok', detail: '2 identities, 3 images' });
      expect(checks.at(-1)).toMatchObject({ check: 'images decode', status: 'ok', detail: '8 of 8 images decoded: 4x4 (8)' });
    }
    const partial = tempDir();
    writeFile(join(partial, 'race_per_7000', 'African', 'a', '1.jpg'), 'x');
    expect(() => openBuptBalancedface(partial)).toThrow(`missing BUPT-Balancedface group folder Asian`);
    expect(() => openBuptBalancedface(tempDir())).toThrow(InputError);
  });
});

describe('SCface', () => {
  it('SCface_database layout: camera folders per distance; cropped mugshots win over the originals', () => {
    const root = tempDir();
    for (const f of [
      'surveillance_cameras_distance_1/cam1/001_cam1_1.jpg',
      'surveillance_cameras_distance_3/cam5/002_cam5_3.jpg',
      'mugshot_frontal_cropped_all/001_frontal.JPG',
      'mugshot_frontal_original_all/001_frontal.JPG',
      'mugshot_rotation_all/001_L1.JPG',
    ])
      writeFile(join(root, f), 'x');
    const { images, ignored } = loadScface(root);
    expect(images.map(({ path, subject, kind, camera, distance }) => [path.slice(root.length + 1), subject, kind, camera, distance])).toEqual([
      ['mugshot_frontal_cropped_all/001_frontal.JPG', 1, 'mugshot', 0, 0],
      ['surveillance_cameras_distance_1/cam1/001_cam1_1.jpg', 1, 'surveillance', 1, 1],
      ['surveillance_cameras_distance_3/cam5/002_cam5_3.jpg', 2, 'surveillance', 5, 3],
    ]);
    expect(ignored).toEqual(['mugshot_frontal_original_all/001_frontal.JPG', 'mugshot_rotation_all/001_L1.JPG']);
  });
});

describe('TinyFace', () => {
  it('reads the zip tinyface/ folder one level down; identity = integer prefix of test names, sub-folder in training', () => {
    const root = tempDir();
    for (const f of ['Training_Set/1/1_1.jpg', 'Testing_Set/Probe/5_2.jpg', 'Testing_Set/Gallery_Match/5_1.jpg', 'Testing_Set/Gallery_Distractor/d1.jpg'])
      writeFile(join(root, 'tinyface', f), 'x');
    expect(loadTinyfacePart(root, 'galleryMatch')).toEqual([{ path: join(root, 'tinyface', 'Testing_Set', 'Gallery_Match', '5_1.jpg'), identity: '5' }]);
    expect(loadTinyfacePart(root, 'train').map((i) => i.identity)).toEqual(['1']);
  });
});

describe('Lock3DFace clip folders', () => {
  it('subject and condition from <sss>_Kinect_<cond>_<k>; RGB/DEPTH folder tokens pair frames', () => {
    const root = tempDir();
    for (const f of ['RGB/002_Kinect_NU_1RGB/1.jpg', 'RGB/002_Kinect_NU_1RGB/2.jpg', 'RGB/013_Kinect_OC_2RGB/1.jpg', 'rgb/007/0001.png'])
      writeFile(join(root, f), 'x');
    for (const f of ['DEPTH/002_Kinect_NU_1DEPTH/1.png', 'DEPTH/002_Kinect_NU_1DEPTH/2.png', 'DEPTH/013_Kinect_OC_2DEPTH/1.png', 'depth/007/0001.png'])
      writeFile(join(root, f), 'x');
    const set = loadRgbdFolders(root, 'Lock3DFace');
    expect(set.samples.map((s) => [s.key, s.subject, s.condition])).toEqual([
      ['002_kinect_nu_1/1', '002', 'NU'],
      ['002_kinect_nu_1/2', '002', 'NU'],
      ['007/0001', '007', undefined],
      ['013_kinect_oc_2/1', '013', 'OC'],
    ]);
    expect(set.subjects).toEqual(['002', '007', '013']);
    expect(set.unpairedColour).toEqual([]);
  });
});
