import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetRequirement, datasetStatus, getDataset, locateDataset, verifyDataset } from '../../src/data/catalog.js';
import { cifarFormat, loadCifar, readCifarPickle } from '../../src/data/cifar.js';
import { PickleArray, PickleDict, readPickle } from '../../src/data/pickle.js';
import { InputError } from '../../src/core/errors.js';
import { pickleProtocol2Py2, tempDir, writeFile, type Py2 } from './fixtures.js';

/** `count` planar rows: R plane = 10 + r, G plane = 20 + r, B plane = 30 + r; R(0,0) = 200 + r, G(1,1) = 100 + r. */
function rows(count: number): Buffer {
  const buf = Buffer.alloc(count * 3072);
  for (let r = 0; r < count; r++) {
    const at = r * 3072;
    buf.fill(10 + r, at, at + 1024);
    buf.fill(20 + r, at + 1024, at + 2048);
    buf.fill(30 + r, at + 2048, at + 3072);
    buf[at] = 200 + r;
    buf[at + 1024 + 33] = 100 + r;
  }
  return buf;
}

function batch(count: number, labels: Record<string, number[]>): Buffer {
  const dict: [string, Py2][] = [
    ['batch_label', 'training batch 1 of 5'],
    ['data', { uint8: rows(count), shape: [count, 3072] }],
  ];
  for (const [k, v] of Object.entries(labels)) dict.push([k, v]);
  dict.push(['filenames', Array.from({ length: count }, (_, i) => `img_${i}.png`)]);
  return pickleProtocol2Py2({ dict });
}

const CIFAR10_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

function cifar10Py(): string {
  const dir = join(tempDir(), 'cifar-10-batches-py');
  for (let b = 1; b <= 5; b++) writeFile(join(dir, `data_batch_${b}`), batch(2, { labels: [b, 9 - b] }));
  writeFile(join(dir, 'test_batch'), batch(3, { labels: [3, 0, 7] }));
  writeFile(
    join(dir, 'batches.meta'),
    pickleProtocol2Py2({
      dict: [
        ['num_cases_per_batch', 10000],
        ['label_names', CIFAR10_NAMES],
        ['num_vis', 3072],
      ],
    }),
  );
  return dir;
}

describe('CIFAR python version (pickled batches)', () => {
  it('the pickle reader rebuilds the dict and the numpy array exactly', () => {
    const v = readPickle(batch(2, { labels: [4, 300] }), 'x');
    expect(v).toBeInstanceOf(PickleDict);
    const d = v as PickleDict;
    expect([...d.map.keys()]).toEqual(['batch_label', 'data', 'labels', 'filenames']);
    expect(d.get('batch_label')).toEqual(Buffer.from('training batch 1 of 5'));
    expect(d.get('labels')).toEqual([4, 300]);
    const data = d.get('data') as PickleArray;
    expect([data.shape, data.dtype!.type, data.dtype!.byteOrder, data.fortranOrder]).toEqual([[2, 3072], 'u1', '|', false]);
    expect(data.data.equals(rows(2))).toBe(true);
  });

  it('CIFAR-10: read when the binary files are absent; labels, NHWC pixels and class names', () => {
    const dir = cifar10Py();
    expect(cifarFormat(dir, 'cifar10', 'train')).toBe('python');
    const train = loadCifar(dir, 'cifar10', 'train');
    expect(train.count).toBe(10);
    expect(Array.from(train.labels)).toEqual([1, 8, 2, 7, 3, 6, 4, 5, 5, 4]);
    const test = loadCifar(dir, 'cifar10', 'test');
    expect(Array.from(test.labels)).toEqual([3, 0, 7]);
    expect(Array.from(test.pixels.subarray(0, 6))).toEqual([200, 20, 30, 10, 20, 30]);
    expect(test.pixels[3 * 33 + 1]).toBe(100);
    expect(Array.from(test.pixels.subarray(2 * 3072 + 3, 2 * 3072 + 6))).toEqual([12, 22, 32]);
    expect(test.classNames).toEqual(CIFAR10_NAMES);
  });

  it('CIFAR-100: fine and coarse labels and both name lists from meta', () => {
    const dir = join(tempDir(), 'cifar-100-python');
    writeFile(join(dir, 'train'), batch(2, { fine_labels: [99, 4], coarse_labels: [19, 0] }));
    writeFile(join(dir, 'test'), batch(1, { fine_labels: [50], coarse_labels: [7] }));
    const fine = Array.from({ length: 100 }, (_, i) => `fine${i}`);
    const coarse = Array.from({ length: 20 }, (_, i) => `coarse${i}`);
    writeFile(
      join(dir, 'meta'),
      pickleProtocol2Py2({
        dict: [
          ['fine_label_names', fine],
          ['coarse_label_names', coarse],
        ],
      }),
    );
    const set = loadCifar(dir, 'cifar100', 'train');
    expect(Array.from(set.labels)).toEqual([99, 4]);
    expect(Array.from(set.coarseLabels!)).toEqual([19, 0]);
    expect(set.classNames[99]).toBe('fine99');
    expect(set.coarseClassNames![19]).toBe('coarse19');
    expect(Array.from(loadCifar(dir, 'cifar100', 'test').coarseLabels!)).toEqual([7]);
  });

  it('the binary files win when both are present', () => {
    const dir = cifar10Py();
    writeFile(join(dir, 'test_batch.bin'), Buffer.concat([Buffer.from([6]), rows(1)]));
    expect(cifarFormat(dir, 'cifar10', 'test')).toBe('binary');
    expect(Array.from(loadCifar(dir, 'cifar10', 'test').labels)).toEqual([6]);
  });

  it('a truncated or wrong pickle exits 2 naming the file', () => {
    const dir = cifar10Py();
    const file = join(dir, 'test_batch');
    const whole = batch(3, { labels: [3, 0, 7] });
    writeFileSync(file, whole.subarray(0, 5000));
    expect(() => loadCifar(dir, 'cifar10', 'test')).toThrow(InputError);
    expect(() => loadCifar(dir, 'cifar10', 'test')).toThrow(
      new RegExp(`^${file} at byte offset 5000: short read: opcode at \\d+ needs 9216 more bytes, the file ends`),
    );
    writeFileSync(file, batch(3, { labels: [3, 0] }));
    expect(() => readCifarPickle(file, 'cifar10')).toThrow(`${file}: 2 'labels' for 3 images`);
    writeFileSync(file, batch(3, { labels: [3, 0, 10] }));
    expect(() => readCifarPickle(file, 'cifar10')).toThrow(`${file}: labels[2] = 10 is outside 0-9`);
    writeFileSync(
      file,
      pickleProtocol2Py2({
        dict: [
          ['data', { uint8: Buffer.alloc(6), shape: [2, 3] }],
          ['labels', [1, 2]],
        ],
      }),
    );
    expect(() => readCifarPickle(file, 'cifar10')).toThrow(`${file}: 'data' is a 2x3 array of u1; expected N x 3072 uint8 rows`);
    writeFileSync(file, pickleProtocol2Py2([1, 2]));
    expect(() => readCifarPickle(file, 'cifar10')).toThrow(`${file} at byte offset 0: the pickle is not a dict`);
    writeFileSync(file, Buffer.from('\x80\x02cos\nsystem\n', 'latin1'));
    expect(() => readCifarPickle(file, 'cifar10')).toThrow(`${file} at byte offset 2: unsupported pickle global os.system`);
  });

  it('the catalogue finds cifar-10-batches-py when cifar-10-batches-bin is absent', async () => {
    const dir = cifar10Py();
    const dataDir = join(dir, '..');
    const entry = getDataset('cifar10');
    expect(locateDataset(entry, dataDir)).toEqual({ path: dir, markers: ['data_batch_1', 'data_batch_5', 'test_batch'] });
    expect(datasetStatus(entry, dataDir)).toMatchObject({ state: 'found', path: dir });
    expect(datasetRequirement('cifar10', dataDir).path).toBe(dir);
    expect(datasetStatus(getDataset('cifar100'), dataDir)).toMatchObject({ state: 'missing', path: join(dataDir, 'cifar-100-binary') });
    const report = await verifyDataset('cifar10', dataDir);
    expect(report.path).toBe(dir);
    expect(report.checks.slice(0, 2)).toEqual([
      { check: 'train images', status: 'warn', detail: '10, published 50000: a subset or a different release' },
      { check: 'train classes', status: 'warn', detail: '8 of 10 classes present' },
    ]);
  });
});
