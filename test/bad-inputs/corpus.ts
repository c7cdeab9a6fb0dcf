// The bad-input corpus: a script that writes, into a fresh folder, one small input per case for
// every format and flag the CLI reads, and says what the CLI must answer (exit code, a message naming
// the file or flag). Nothing binary is committed: every file is built here, byte by byte, at test
// time. bad-inputs.test.ts runs the cases; each case lives in <root>/<case name>/ and must leave that
// folder as it found it (a refused input writes nothing).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { getPaper } from '../../src/papers/index.js';
import { checkAgainstTables, parseExpected } from '../../src/harness/expected.js';
import type { ExpectedFile } from '../../src/core/types.js';
import {
  idxBytes,
  imageRecord,
  jpegBytes,
  pickleProtocol2,
  pickleProtocol2Py2,
  pngBytes,
  recordioRecord,
  tarBytes,
  tarHeader,
  writeFaceRecordSet,
  zipBytes,
  type Py2,
} from '../data/fixtures.js';

export type Format =
  | 'flags'
  | 'idx'
  | 'cifar-binary'
  | 'cifar-python'
  | 'pickle'
  | 'bin'
  | 'rec'
  | 'png'
  | 'jpeg'
  | 'tar'
  | 'tar.gz'
  | 'zip'
  | 'json'
  | 'csv'
  | 'pairs'
  | 'annotations'
  | 'topology'
  | 'config'
  | 'expected'
  | 'run.json';

export interface BadInput {
  /** Unique; also the case's folder under the corpus root. */
  name: string;
  format: Format;
  /** CLI arguments (run in-process through oclif, or spawned with `spawn`). */
  argv?: string[];
  /** A library entry point that must throw a ReproError (formats the CLI reads from its own package, like expected/). */
  lib?: () => unknown;
  exit: number;
  /** What the message must contain: the file, the flag, or both. */
  names: (string | RegExp)[];
  /** Also run as a real process (bin/run.js): exit code and stderr as a user sees them. */
  spawn?: boolean;
  /** An input that is odd but valid: it is accepted, and may write its output. */
  accepted?: boolean;
}

export interface Corpus {
  cases: BadInput[];
  /** Files the test's HTTP server serves, as '<case>/<file name>' (data fetch --mirror <url>/<case>). */
  served: Record<string, Buffer>;
}

const TOPOLOGY_HEADER = 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,';

function put(path: string, content: string | Buffer): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** Bytes that are no format at all (seeded, with NULs), as a file copied over by mistake. */
function garbage(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  out[Math.min(7, length - 1)] = 0; // binary files have NULs
  return out;
}

/** A PNG whose IDAT chunk fails its CRC (the header still reads fine). */
async function pngWithBadCrc(): Promise<Buffer> {
  const png = Buffer.from(await pngBytes(8, 8, [10, 20, 30]));
  const at = png.indexOf('IDAT');
  png[at + 4 + png.readUInt32BE(at - 4)]! ^= 0xff;
  return png;
}

async function truncatedPng(): Promise<Buffer> {
  const png = await pngBytes(16, 16, [1, 2, 3]);
  return png.subarray(0, png.length - 30);
}

async function truncatedJpeg(): Promise<Buffer> {
  const jpg = await jpegBytes(32, 32, [1, 2, 3]);
  return jpg.subarray(0, Math.floor(jpg.length * 0.6));
}

// ---- dataset folders in the layouts the catalogue expects -------------------------------------------

function mnistFolder(data: string, override: Partial<Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', Buffer>> = {}): void {
  const dir = join(data, 'mnist');
  const images = idxBytes([2, 28, 28], new Uint8Array(2 * 784).fill(7));
  const labels = idxBytes([2], [3, 4]);
  put(join(dir, 'train-images-idx3-ubyte'), override.trainImages ?? images);
  put(join(dir, 'train-labels-idx1-ubyte'), override.trainLabels ?? labels);
  put(join(dir, 't10k-images-idx3-ubyte'), override.testImages ?? images);
  put(join(dir, 't10k-labels-idx1-ubyte'), override.testLabels ?? labels);
}

function cifarRecord(label: number): Buffer {
  return Buffer.concat([Buffer.from([label]), Buffer.alloc(3072, label)]);
}

function cifarBinaryFolder(data: string, broken: Record<string, Buffer>): string {
  const dir = join(data, 'cifar-10-batches-bin');
  for (const f of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) {
    put(join(dir, f), broken[f] ?? Buffer.concat([cifarRecord(1), cifarRecord(2)]));
  }
  return dir;
}

function cifarBatch(count: number, labels: number[]): Buffer {
  const dict: [string, Py2][] = [
    ['batch_label', 'batch'],
    ['data', { uint8: Buffer.alloc(count * 3072, 5), shape: [count, 3072] }],
    ['labels', labels],
  ];
  return pickleProtocol2Py2({ dict });
}

function cifarPythonFolder(data: string, broken: Record<string, Buffer>): string {
  const dir = join(data, 'cifar-10-batches-py');
  for (const f of ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch'])
    put(join(dir, f), broken[f] ?? cifarBatch(2, [1, 2]));
  return dir;
}

/** A pickle that would run os.system('echo pwned') if it were unpickled by Python: GLOBAL then REDUCE. */
function maliciousPickle(): Buffer {
  return Buffer.concat([
    Buffer.from([0x80, 0x02]),
    Buffer.from('cos\nsystem\n', 'latin1'),
    Buffer.from([0x55, 11]),
    Buffer.from('echo pwned'),
    Buffer.from([0x85, 0x52, 0x2e]),
  ]);
}

/** insightface layout: train.rec/.idx/property of `images` (bytes per record), plus extra files. */
function recordFolder(data: string, images: Buffer[][], extra: Record<string, Buffer | string> = {}): string {
  const dir = join(data, 'faces_webface_112x112');
  mkdirSync(dir, { recursive: true });
  writeFaceRecordSet(dir, images, 8);
  for (const [name, content] of Object.entries(extra)) put(join(dir, name), content);
  return dir;
}

async function lfwFolder(data: string, pairs: string, images: Record<string, Buffer> = {}): Promise<string> {
  const dir = join(data, 'lfw');
  const ok = await pngBytes(6, 5, [10, 20, 30]);
  for (const f of ['Ann/Ann_0001.png', 'Ann/Ann_0002.png', 'Bo/Bo_0001.png']) put(join(dir, f), images[f] ?? ok);
  put(join(dir, 'pairs.txt'), pairs);
  return dir;
}

const GOOD_PAIRS = '1\t1\nAnn\t1\t2\nAnn\t1\tBo\t1\n';

function widerFolder(data: string, val: string, image: Buffer): string {
  const dir = join(data, 'widerface');
  const train = '0--Parade/a.jpg\n1\n1 2 3 4 0 0 0 0 0 0\n';
  put(join(dir, 'wider_face_split', 'wider_face_train_bbx_gt.txt'), train);
  put(join(dir, 'wider_face_split', 'wider_face_val_bbx_gt.txt'), val);
  mkdirSync(join(dir, 'WIDER_val', 'images'), { recursive: true });
  put(join(dir, 'WIDER_train', 'images', '0--Parade', 'a.jpg'), image);
  return dir;
}

function fddbFolder(data: string, fold1: string): string {
  const dir = join(data, 'fddb');
  for (let f = 1; f <= 10; f++) put(join(dir, 'FDDB-folds', `FDDB-fold-${String(f).padStart(2, '0')}-ellipseList.txt`), f === 1 ? fold1 : '');
  return dir;
}

/** The two FDDB archives `repro data fetch fddb` downloads; `pics` replaces the images archive. */
async function fddbArchives(pics?: Buffer): Promise<Record<string, Buffer>> {
  const images: Record<string, Buffer> = {};
  const folds: Record<string, string> = {};
  for (let f = 1; f <= 10; f++) {
    const name = `2002/07/${f}/big/img_${f}`;
    images[`${name}.jpg`] = await pngBytes(5, 4, [f, 0, 0]);
    folds[`FDDB-folds/FDDB-fold-${String(f).padStart(2, '0')}-ellipseList.txt`] = `${name}\n1\n10 8 0.5 2 2 1\n`;
  }
  return { 'originalPics.tar.gz': pics ?? gzipSync(tarBytes(images)), 'FDDB-folds.tgz': gzipSync(tarBytes(folds)) };
}

/** A tar whose one entry is a raw header: any name and type (traversal, links, './'). */
function tarWithEntry(name: string, type: '0' | '5', data = Buffer.from('x')): Buffer {
  const header = tarHeader(name, type === '0' ? data.length : 0, type);
  const body = type === '0' ? Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]) : Buffer.alloc(0);
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

/** A tar header of a link entry (type 1 hard link, 2 symlink) pointing at `target`. */
function linkHeader(name: string, target: string, type: '1' | '2'): Buffer {
  const h = tarHeader(name, 0);
  h.write(type, 156);
  h.write(target, 157, 100);
  h.write('        ', 148);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** A GNU long-name ('L') record followed by a file entry: the long name wins. */
function tarLongName(longName: string): Buffer {
  const name = Buffer.from(`${longName}\0`);
  const l = tarHeader('././@LongLink', name.length);
  l.write('L', 156);
  l.write('        ', 148);
  let sum = 0;
  for (const b of l) sum += b;
  l.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([l, name, Buffer.alloc((512 - (name.length % 512)) % 512), tarWithEntry('short.txt', '0')]);
}

// ---- result sets for check and list -----------------------------------------------------------------

const CONVEX_HEADER = 'optimizer,setting,metric,value,expected,tolerance,provenance,status,note';
const CONVEX_ROWS = ['sgd,binary,final_w,-1,,,,no-reference,', 'sgd,binary,avg_regret,0.00006,,,,no-reference,'];

/** A bamsprod smoke result set under `<out>/bamsprod/smoke`: `convex` is the CSV text, the manifest matches it unless `manifest` says otherwise. */
function resultSet(out: string, convex: string, options: { runJson?: string; manifest?: Record<string, string>; extra?: Record<string, string> } = {}): string {
  const dir = join(out, 'bamsprod', 'smoke');
  put(join(dir, 'convex.csv'), convex);
  for (const [name, text] of Object.entries(options.extra ?? {})) put(join(dir, name), text);
  const files = options.manifest ?? { 'convex.csv': createHash('sha256').update(convex).digest('hex') };
  const run = {
    paper: 'bamsprod',
    profile: 'smoke',
    seed: 1,
    status: 'pass',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:01.000Z',
    cells: [],
    checks: { rows: [], claims: [] },
    files,
  };
  put(join(dir, 'run.json'), options.runJson ?? JSON.stringify(run));
  return dir;
}

// ---- expected files (read from the package, so tested through the library) -----------------------

const GOOD_EXPECTED = {
  paper: 'bamsprod',
  title: 'T',
  source: 's',
  tables: {
    convex: {
      title: 'C',
      cells: [
        { key: { optimizer: 'adam', setting: 'binary' }, metric: 'final_w', expected: 1, tolerance: { abs: 0.01 }, provenance: 'derived', profiles: ['smoke'] },
      ],
    },
  },
  claims: [
    {
      id: 'c',
      description: 'd',
      provenance: 'derived',
      profiles: ['smoke'],
      left: { table: 'convex', key: { optimizer: 'adam', setting: 'binary' }, metric: 'final_w' },
      op: '>',
      right: 0.5,
    },
  ],
};

/** parseExpected, then the check against bamsprod's tables, as every command does before any work. */
function loadExpectedText(file: string, text: string): () => ExpectedFile {
  return () => {
    const expected = parseExpected(text, file);
    checkAgainstTables(expected, getPaper('bamsprod').tables, file);
    return expected;
  };
}

// ---- the cases ----------------------------------------------------------------------------------------

export async function buildCorpus(root: string, mirror: string): Promise<Corpus> {
  const cases: BadInput[] = [];
  const served: Record<string, Buffer> = {};
  /** A fresh folder for case `name`; `build` writes its inputs and returns the case. */
  const add = async (name: string, build: (dir: string) => Omit<BadInput, 'name'> | Promise<Omit<BadInput, 'name'>>) => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    cases.push({ name, ...(await build(dir)) });
  };
  const paper = (dir: string, ...flags: string[]) => ['condensation', '--profile', 'smoke', '--out', join(dir, 'out'), ...flags];

  // -- flags of a paper run: refused before any work, naming the flag --
  for (const [name, value] of [
    ['abc', 'abc'],
    ['negative', '-1'],
    ['2^32', '4294967296'],
    ['exponent', '1e3'],
    ['2^64', '18446744073709551616'],
    ['fraction', '1.5'],
  ]) {
    await add(`seed-${name}`, (dir) => ({ format: 'flags', argv: paper(dir, '--seed', value), exit: 2, names: ['--seed'] }));
  }
  await add('seed-abc-json', (dir) => ({ format: 'flags', argv: paper(dir, '--seed', 'abc', '--json'), exit: 2, names: ['--seed'], spawn: true }));
  for (const [name, value] of [
    ['zero', '0'],
    ['abc', 'abc'],
    ['huge', '100000'],
  ]) {
    await add(`jobs-${name}`, (dir) => ({ format: 'flags', argv: paper(dir, '--jobs', value), exit: 2, names: ['--jobs'] }));
  }
  await add('profile-unknown', (dir) => ({
    format: 'flags',
    argv: ['condensation', '--profile', 'fast', '--out', join(dir, 'out')],
    exit: 2,
    names: ['--profile=fast'],
  }));
  await add('backend-unknown', (dir) => ({ format: 'flags', argv: paper(dir, '--backend', 'quantum'), exit: 2, names: ['--backend'] }));
  await add('flag-unknown', (dir) => ({ format: 'flags', argv: paper(dir, '--colour', 'red'), exit: 2, names: ['--colour'] }));
  await add('out-under-dev-null', () => ({
    format: 'flags',
    argv: ['condensation', '--profile', 'smoke', '--out', '/dev/null/x'],
    exit: 2,
    names: ['--out', '/dev/null/x'],
  }));
  await add('out-under-proc', () => ({
    format: 'flags',
    argv: ['condensation', '--profile', 'smoke', '--out', '/proc/repro-x', '--json'],
    exit: 2,
    names: ['--out', '/proc/repro-x'],
    spawn: true,
  }));
  await add('out-under-sys', () => ({ format: 'flags', argv: ['cassod', '--profile', 'smoke', '--out', '/sys/repro-x'], exit: 2, names: ['--out'] }));
  await add('out-is-a-file', (dir) => ({
    format: 'flags',
    argv: ['condensation', '--profile', 'smoke', '--out', put(join(dir, 'file'), 'x')],
    exit: 2,
    names: ['--out', join(dir, 'file')],
  }));
  await add('out-below-a-file', (dir) => ({
    format: 'flags',
    argv: ['condensation', '--profile', 'smoke', '--out', join(put(join(dir, 'file'), 'x'), 'sub')],
    exit: 2,
    names: ['--out', join(dir, 'file')],
  }));
  await add('run-out-below-a-file', (dir) => ({
    format: 'flags',
    argv: ['run', 'condensation', 'ddc', '--profile', 'smoke', '--out', join(put(join(dir, 'file'), 'x'), 'sub')],
    exit: 2,
    names: ['--out'],
  }));
  await add('data-dir-is-a-file', (dir) => ({
    format: 'flags',
    argv: [...paper(dir), '--data-dir', put(join(dir, 'file'), 'x')],
    exit: 2,
    names: ['--data-dir', join(dir, 'file')],
  }));
  await add('data-dir-under-proc', (dir) => ({ format: 'flags', argv: [...paper(dir), '--data-dir', '/proc/self/repro'], exit: 2, names: ['--data-dir'] }));
  await add('out-locked-by-a-live-run', (dir) => {
    // This test process stands for the run that holds the folder: alive, on this host.
    const lock = { pid: process.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'repro condensation --profile smoke', token: 'held' };
    put(join(dir, 'out', 'condensation', 'smoke.lock'), JSON.stringify(lock));
    return {
      format: 'flags',
      argv: paper(dir),
      exit: 2,
      names: [`in use by process ${process.pid} on ${hostname()}, started 2026-01-01T00:00:00.000Z`],
      spawn: true,
    };
  });
  await add('run-unknown-paper', (dir) => ({
    format: 'flags',
    argv: ['run', 'nosuchpaper', '--profile', 'smoke', '--out', join(dir, 'out')],
    exit: 2,
    names: ["'nosuchpaper'"],
  }));
  await add('check-out-is-a-file', (dir) => ({
    format: 'flags',
    argv: ['check', 'bamsprod', '--out', put(join(dir, 'file'), 'x')],
    exit: 2,
    names: ['--out'],
  }));
  await add('check-profile-unknown', (dir) => ({ format: 'flags', argv: ['check', '--profile', 'huge', '--out', dir], exit: 2, names: ['--profile'] }));
  await add('list-out-is-a-file', (dir) => ({ format: 'flags', argv: ['list', '--out', put(join(dir, 'file'), 'x')], exit: 2, names: ['--out'] }));
  await add('hw-out-is-a-file', (dir) => ({
    format: 'flags',
    argv: ['hw', '--network', 'jpu', '--out', put(join(dir, 'file'), 'x')],
    exit: 2,
    names: ['--out', join(dir, 'file')],
  }));
  await add('hw-no-source', () => ({ format: 'flags', argv: ['hw'], exit: 2, names: ['--topology', '--network'] }));
  await add('hw-two-sources', (dir) => ({
    format: 'flags',
    argv: ['hw', '--network', 'jpu', '--topology', join(dir, 't.csv')],
    exit: 2,
    names: ['--network'],
  }));
  await add('hw-unknown-network', () => ({ format: 'flags', argv: ['hw', '--network', 'resnet-9000'], exit: 2, names: ['--network'] }));
  await add('synth-one-identity', (dir) => ({
    format: 'flags',
    argv: ['data', 'synth', '--ids', '1', '--per-id', '2', '--out', join(dir, 'faces')],
    exit: 2,
    names: ['--ids'],
  }));
  await add('synth-absurd-identities', (dir) => ({
    format: 'flags',
    argv: ['data', 'synth', '--ids', '99999999999', '--per-id', '2', '--out', join(dir, 'faces')],
    exit: 2,
    names: ['--ids'],
  }));
  await add('synth-occlusion-2', (dir) => ({
    format: 'flags',
    argv: ['data', 'synth', '--ids', '2', '--per-id', '2', '--occlusion', '2', '--out', join(dir, 'faces')],
    exit: 2,
    names: ['--occlusion'],
  }));
  await add('synth-out-below-a-file', (dir) => ({
    format: 'flags',
    argv: ['data', 'synth', '--ids', '2', '--per-id', '2', '--out', join(put(join(dir, 'file'), 'x'), 'faces')],
    exit: 2,
    names: ['--out'],
  }));
  await add('synth-seed-2^32', (dir) => ({
    format: 'flags',
    argv: ['data', 'synth', '--ids', '2', '--per-id', '2', '--seed', '4294967296', '--out', join(dir, 'faces')],
    exit: 2,
    names: ['--seed'],
  }));
  await add('verify-unknown-dataset', (dir) => ({ format: 'flags', argv: ['data', 'verify', 'imagenet', '--data-dir', dir], exit: 2, names: ['imagenet'] }));
  await add('fetch-data-dir-under-proc', () => ({
    format: 'flags',
    argv: ['data', 'fetch', 'fddb', '--data-dir', '/proc/repro-data'],
    exit: 2,
    names: ['--data-dir'],
  }));
  await add('doctor-data-dir-is-a-file', (dir) => ({
    format: 'flags',
    argv: ['doctor', '--data-dir', put(join(dir, 'file'), 'x'), '--backend', 'cpu'],
    exit: 2,
    names: ['--data-dir'],
  }));

  // -- topology CSV (repro hw --topology) --
  const topology = (dir: string, text: string | Buffer, out = false): Omit<BadInput, 'name'> => {
    const file = put(join(dir, 't.csv'), text);
    return { format: 'topology', argv: ['hw', '--topology', file, ...(out ? ['--out', join(dir, 'reports')] : [])], exit: 2, names: [file] };
  };
  const row = (fields: string) => `${TOPOLOGY_HEADER}\n${fields}\n`;
  await add('topology-20-digit-ifmap', (dir) => ({
    ...topology(dir, row('c1, 12345678901234567890, 224, 3, 3, 3, 64, 1,'), true),
    names: [join(dir, 't.csv:2:'), 'IFMAP Height', '1 to 65536'],
    spawn: true,
  }));
  await add('topology-400-digit-channels', (dir) => ({
    ...topology(dir, row(`c1, 224, 224, 3, 3, 1${'0'.repeat(400)}, 64, 1,`)),
    names: [join(dir, 't.csv:2:'), 'Channels'],
  }));
  await add('topology-too-many-macs', (dir) => topology(dir, row('c1, 65536, 65536, 4096, 4096, 1048576, 1048576, 1,')));
  await add('topology-zero-stride', (dir) => topology(dir, row('c1, 10, 10, 3, 3, 4, 4, 0,')));
  await add('topology-negative', (dir) => topology(dir, row('c1, 10, -10, 3, 3, 4, 4, 1,')));
  await add('topology-fraction', (dir) => topology(dir, row('c1, 10, 10, 3.5, 3, 4, 4, 1,')));
  await add('topology-binary-garbage', (dir) => topology(dir, garbage(4096)));
  await add('topology-empty', (dir) => topology(dir, ''));
  await add('topology-header-only', (dir) => topology(dir, `${TOPOLOGY_HEADER}\n`));
  await add('topology-unknown-column', (dir) => topology(dir, 'Layer name, IFMAP Height, Colour,\n'));
  await add('topology-missing-column', (dir) => topology(dir, 'Layer name, IFMAP Height, IFMAP Width,\nc1, 1, 1,\n'));
  await add('topology-duplicate-layer', (dir) => topology(dir, row('c1, 10, 10, 3, 3, 4, 4, 1,\nc1, 10, 10, 3, 3, 4, 4, 1,')));
  await add('topology-quoted-field', (dir) => topology(dir, row('"c,1", 10, 10, 3, 3, 4, 4, 1,')));
  await add('topology-missing-field', (dir) => topology(dir, row('c1, 10, 10, 3, 3, 4,')));
  await add('topology-filter-larger-than-input', (dir) => topology(dir, row('c1, 4, 4, 5, 5, 4, 4, 1,')));
  await add('topology-groups-do-not-divide', (dir) => topology(dir, `${TOPOLOGY_HEADER} Dilation, Groups,\nc1, 10, 10, 3, 3, 6, 4, 1, 1, 4,\n`));
  await add('topology-unknown-type', (dir) => topology(dir, `${TOPOLOGY_HEADER} Type,\nc1, 10, 10, 3, 3, 4, 4, 1, pool,\n`));
  await add('topology-control-characters', (dir) => topology(dir, `Layer name, IFMAP\u0007\u001b[31m${'x'.repeat(2000)},\n`));
  await add('topology-is-a-folder', (dir) => ({ format: 'topology', argv: ['hw', '--topology', dir], exit: 2, names: ['--topology', dir] }));
  await add('topology-missing', (dir) => ({ format: 'topology', argv: ['hw', '--topology', join(dir, 'nope.csv')], exit: 2, names: [join(dir, 'nope.csv')] }));
  await add('topology-with-bom', (dir) => ({ ...topology(dir, `\ufeff${row('c1, 10, 10, 3, 3, 4, 4, 1,')}`), exit: 0, names: [], accepted: true }));

  // -- accelerator configuration JSON (repro hw --config) --
  const config = (dir: string, text: string | Buffer): Omit<BadInput, 'name'> => {
    const file = put(join(dir, 'accel.json'), text);
    return { format: 'config', argv: ['hw', '--network', 'jpu', '--config', file, '--out', join(dir, 'reports')], exit: 2, names: [file] };
  };
  await add('config-parallel-pixels-1e308', (dir) => ({
    ...config(dir, '{ "parallelPixels": 1e308 }'),
    names: [join(dir, 'accel.json:1:'), '/parallelPixels', '1 to 65536'],
    spawn: true,
  }));
  await add('config-parallel-pixels-0', (dir) => config(dir, '{ "parallelPixels": 0 }'));
  await add('config-clock-400-digits', (dir) => config(dir, `{ "clockMHz": 1${'0'.repeat(400)} }`));
  await add('config-clock-1e999', (dir) => config(dir, '{ "clockMHz": 1e999 }'));
  await add('config-sram-1e20', (dir) => config(dir, '{ "featureSramBytes": 100000000000000000000 }'));
  await add('config-negative-gate-cost', (dir) => config(dir, '{ "gates": { "dff": -1 } }'));
  await add('config-unknown-setting', (dir) => config(dir, '{ "frequency": 400 }'));
  await add('config-bad-enum', (dir) => config(dir, '{ "dilation": "sparse" }'));
  await add('config-string-for-number', (dir) => config(dir, '{ "parallelChannels": "16" }'));
  await add('config-syntax-error', (dir) => config(dir, '{ "parallelPixels": 16,, }'));
  await add('config-trailing-comma', (dir) => config(dir, '{\n  "parallelPixels": 16,\n}'));
  await add('config-top-level-array', (dir) => config(dir, '[16, 16]'));
  await add('config-empty', (dir) => config(dir, ''));
  await add('config-binary-garbage', (dir) => config(dir, garbage(2048, 2)));
  await add('config-with-bom', (dir) => ({ ...config(dir, '\ufeff{ "parallelPixels": 8 }'), exit: 0, names: [], accepted: true }));

  // -- expected files (validated before any work; read from the package's expected/) --
  const expected = (dir: string, text: string): Omit<BadInput, 'name'> => {
    const file = put(join(dir, 'bamsprod.json'), text);
    return { format: 'expected', lib: loadExpectedText(file, text), exit: 2, names: [file] };
  };
  const withChange = (change: (e: typeof GOOD_EXPECTED & Record<string, unknown>) => void) => {
    const e = structuredClone(GOOD_EXPECTED) as typeof GOOD_EXPECTED & Record<string, unknown>;
    change(e);
    return JSON.stringify(e);
  };
  await add('expected-infinity', (dir) => ({
    ...expected(dir, JSON.stringify(GOOD_EXPECTED).replace('"expected":1', '"expected":1e999')),
    names: [join(dir, 'bamsprod.json'), '/tables/convex/cells/0/expected'],
  }));
  await add('expected-duplicate-cell', (dir) =>
    expected(
      dir,
      withChange((e) => e.tables.convex.cells.push({ ...e.tables.convex.cells[0]!, expected: 2 })),
    ),
  );
  await add('expected-duplicate-claim', (dir) =>
    expected(
      dir,
      withChange((e) => e.claims.push(e.claims[0]!)),
    ),
  );
  await add('expected-claim-unknown-table', (dir) => ({
    ...expected(
      dir,
      withChange((e) => (e.claims[0]!.left.table = 'convexx')),
    ),
    names: [join(dir, 'bamsprod.json'), "table 'convexx' does not exist"],
  }));
  await add('expected-claim-unknown-metric', (dir) =>
    expected(
      dir,
      withChange((e) => (e.claims[0]!.left.metric = 'final_x')),
    ),
  );
  await add('expected-cell-wrong-key-columns', (dir) =>
    expected(
      dir,
      withChange((e) => (e.tables.convex.cells[0]!.key = { optimiser: 'adam', setting: 'binary' } as never)),
    ),
  );
  await add('expected-not-json', (dir) => expected(dir, 'paper: bamsprod'));
  await add('expected-truncated', (dir) => expected(dir, JSON.stringify(GOOD_EXPECTED).slice(0, 80)));
  await add('expected-bad-provenance', (dir) =>
    expected(
      dir,
      withChange((e) => (e.tables.convex.cells[0]!.provenance = 'guess')),
    ),
  );
  await add('expected-with-bom', (dir) => ({ ...expected(dir, `\ufeff${JSON.stringify(GOOD_EXPECTED)}`), exit: 0, names: [], accepted: true }));

  // -- result sets: run.json and the table CSVs (repro check, repro list) --
  const good = `${CONVEX_HEADER}\n${CONVEX_ROWS.join('\n')}\n`;
  const check = (dir: string, format: Format, file: string): Omit<BadInput, 'name'> => ({
    format,
    argv: ['check', 'bamsprod', '--profile', 'smoke', '--out', join(dir, 'out')],
    exit: 2,
    names: [file],
  });
  await add('run-json-truncated-check', (dir) => ({
    ...check(dir, 'run.json', join(resultSet(join(dir, 'out'), good, { runJson: '{"paper":"bamsprod","prof' }), 'run.json')),
    spawn: true,
  }));
  await add('run-json-truncated-list', (dir) => {
    const file = join(resultSet(join(dir, 'out'), good, { runJson: '{"paper":"bamsprod","prof' }), 'run.json');
    return { format: 'run.json', argv: ['list', '--profile', 'smoke', '--out', join(dir, 'out')], exit: 2, names: [file], spawn: true };
  });
  await add('run-json-empty', (dir) => check(dir, 'run.json', join(resultSet(join(dir, 'out'), good, { runJson: '' }), 'run.json')));
  await add('run-json-array', (dir) => check(dir, 'run.json', join(resultSet(join(dir, 'out'), good, { runJson: '[]' }), 'run.json')));
  await add('run-json-other-paper', (dir) =>
    check(
      dir,
      'run.json',
      join(
        resultSet(join(dir, 'out'), good, { runJson: JSON.stringify({ paper: 'cassod', profile: 'smoke', status: 'pass', endedAt: 'x', files: {} }) }),
        'run.json',
      ),
    ),
  );
  await add('run-json-bad-manifest', (dir) =>
    check(dir, 'run.json', join(resultSet(join(dir, 'out'), good, { manifest: { 'convex.csv': 'not-a-hash' } }), 'run.json')),
  );
  await add('run-json-missing', (dir) => {
    const set = resultSet(join(dir, 'out'), good);
    rmSync(join(set, 'run.json'));
    return check(dir, 'run.json', join(set, 'run.json'));
  });
  await add('csv-does-not-match-manifest', (dir) => {
    const set = resultSet(join(dir, 'out'), good, { manifest: { 'convex.csv': createHash('sha256').update('other').digest('hex') } });
    return { ...check(dir, 'csv', join(set, 'convex.csv')), spawn: true };
  });
  await add('csv-not-in-manifest', (dir) => check(dir, 'csv', join(resultSet(join(dir, 'out'), good, { extra: { 'bnn.csv': good } }), 'bnn.csv')));
  await add('csv-listed-but-missing', (dir) => {
    const hash = createHash('sha256').update(good).digest('hex');
    return check(dir, 'csv', join(resultSet(join(dir, 'out'), good, { manifest: { 'convex.csv': hash, 'bnn.csv': hash } }), 'bnn.csv'));
  });
  const damaged = async (name: string, text: string) => add(`csv-${name}`, (dir) => check(dir, 'csv', join(resultSet(join(dir, 'out'), text), 'convex.csv')));
  await damaged('empty', '');
  await damaged('cut-mid-row', good.slice(0, good.length - 9));
  await damaged('rows-duplicated', `${CONVEX_HEADER}\n${CONVEX_ROWS.join('\n')}\n${CONVEX_ROWS.join('\n')}\n`);
  await damaged('missing-columns', `optimizer,setting,metric,value\nsgd,binary,final_w,-1\n`);
  await damaged('value-not-a-number', `${CONVEX_HEADER}\nsgd,binary,final_w,minus one,,,,no-reference,\n`);
  await damaged('unknown-metric', `${CONVEX_HEADER}\nsgd,binary,final_q,-1,,,,no-reference,\n`);
  await damaged('unclosed-quote', `${CONVEX_HEADER}\nsgd,binary,final_w,-1,,,,no-reference,"cut\n`);
  await damaged('binary-garbage', `${CONVEX_HEADER}\n${garbage(300, 3).toString('latin1')}\n`);
  await add('results-missing', (dir) => ({
    format: 'csv',
    argv: ['check', 'bamsprod', '--profile', 'smoke', '--out', dir],
    exit: 2,
    names: [join(dir, 'bamsprod', 'smoke')],
  }));

  // -- MNIST idx (repro data verify mnist) --
  const verify = (dir: string, dataset: string, format: Format, file: string, deep = false): Omit<BadInput, 'name'> => ({
    format,
    argv: ['data', 'verify', dataset, '--data-dir', dir, ...(deep ? ['--deep'] : [])],
    exit: 2,
    names: [file],
  });
  await add('idx-zero-images', (dir) => {
    mnistFolder(dir, { testImages: idxBytes([0, 28, 28], []), testLabels: idxBytes([0], []) });
    return verify(dir, 'mnist', 'idx', join(dir, 'mnist', 't10k-images-idx3-ubyte'));
  });
  await add('idx-truncated', (dir) => {
    mnistFolder(dir, { trainImages: idxBytes([2, 28, 28], new Uint8Array(2 * 784)).subarray(0, 500) });
    return verify(dir, 'mnist', 'idx', join(dir, 'mnist', 'train-images-idx3-ubyte'));
  });
  await add('idx-wrong-magic', (dir) => {
    mnistFolder(dir, { trainImages: idxBytes([2], [1, 2]) });
    return verify(dir, 'mnist', 'idx', join(dir, 'mnist', 'train-images-idx3-ubyte'));
  });
  await add('idx-label-out-of-range', (dir) => {
    mnistFolder(dir, { trainLabels: idxBytes([2], [3, 12]) });
    return verify(dir, 'mnist', 'idx', join(dir, 'mnist', 'train-labels-idx1-ubyte'));
  });
  await add('idx-count-mismatch', (dir) => {
    mnistFolder(dir, { trainLabels: idxBytes([3], [3, 4, 5]) });
    return verify(dir, 'mnist', 'idx', join(dir, 'mnist', 'train-labels-idx1-ubyte'));
  });
  await add('idx-broken-gzip', (dir) => {
    mnistFolder(dir);
    rmSync(join(dir, 'mnist', 't10k-labels-idx1-ubyte'));
    const file = put(join(dir, 'mnist', 't10k-labels-idx1-ubyte.gz'), gzipSync(idxBytes([2], [1, 2])).subarray(0, 12));
    return verify(dir, 'mnist', 'idx', file);
  });

  // -- CIFAR-10 binary and python versions (repro data verify cifar10) --
  await add('cifar-binary-empty-batch', (dir) =>
    verify(dir, 'cifar10', 'cifar-binary', join(cifarBinaryFolder(dir, { 'test_batch.bin': Buffer.alloc(0) }), 'test_batch.bin')),
  );
  await add('cifar-binary-cut-record', (dir) =>
    verify(dir, 'cifar10', 'cifar-binary', join(cifarBinaryFolder(dir, { 'data_batch_3.bin': cifarRecord(1).subarray(0, 3000) }), 'data_batch_3.bin')),
  );
  await add('cifar-binary-label-11', (dir) =>
    verify(dir, 'cifar10', 'cifar-binary', join(cifarBinaryFolder(dir, { 'data_batch_2.bin': cifarRecord(11) }), 'data_batch_2.bin')),
  );
  await add('cifar-python-malicious-pickle', (dir) => ({
    ...verify(dir, 'cifar10', 'pickle', join(cifarPythonFolder(dir, { data_batch_1: maliciousPickle() }), 'data_batch_1')),
    names: [join(dir, 'cifar-10-batches-py', 'data_batch_1'), /byte offset \d+/],
  }));
  await add('cifar-python-truncated', (dir) =>
    verify(dir, 'cifar10', 'cifar-python', join(cifarPythonFolder(dir, { test_batch: cifarBatch(2, [1, 2]).subarray(0, 200) }), 'test_batch')),
  );
  await add('cifar-python-no-data', (dir) =>
    verify(dir, 'cifar10', 'cifar-python', join(cifarPythonFolder(dir, { data_batch_4: pickleProtocol2Py2({ dict: [['labels', [1]]] }) }), 'data_batch_4')),
  );
  await add('cifar-python-garbage', (dir) =>
    verify(dir, 'cifar10', 'cifar-python', join(cifarPythonFolder(dir, { data_batch_5: garbage(500, 4) }), 'data_batch_5')),
  );

  // -- insightface RecordIO and verification .bin (repro data verify casia-webface) --
  const png = await pngBytes(8, 8, [10, 20, 30]);
  await add('rec-empty', (dir) => {
    const set = join(dir, 'faces_webface_112x112');
    put(join(set, 'train.rec'), '');
    put(join(set, 'train.idx'), '');
    put(join(set, 'property'), '0,8,8\n');
    return { ...verify(dir, 'casia-webface', 'rec', join(set, 'train.rec')), spawn: true };
  });
  await add('rec-bad-magic', (dir) => {
    const set = recordFolder(dir, [[png, png]]);
    writeFileSync(join(set, 'train.rec'), garbage(readFileSync(join(set, 'train.rec')).length, 5)); // offsets stay inside, the magic words are gone
    return verify(dir, 'casia-webface', 'rec', join(set, 'train.rec'));
  });
  await add('rec-png-bad-crc-deep', async (dir) =>
    verify(dir, 'casia-webface', 'png', join(recordFolder(dir, [[png, await pngWithBadCrc()]]), 'train.rec'), true),
  );
  await add('rec-truncated-jpeg-deep', async (dir) =>
    verify(dir, 'casia-webface', 'jpeg', join(recordFolder(dir, [[await truncatedJpeg(), png]]), 'train.rec'), true),
  );
  await add('rec-truncated-record', (dir) => {
    const set = recordFolder(dir, [[png, png]]);
    const rec = recordioRecord(imageRecord(0, 1, png));
    writeFileSync(join(set, 'train.rec'), rec.subarray(0, rec.length - 10));
    return verify(dir, 'casia-webface', 'rec', join(set, 'train.rec'));
  });
  await add('bin-malicious-pickle', (dir) => ({
    ...verify(dir, 'casia-webface', 'pickle', join(recordFolder(dir, [[png, png]], { 'lfw.bin': maliciousPickle() }), 'lfw.bin')),
    names: [join(dir, 'faces_webface_112x112', 'lfw.bin'), /byte offset \d+/],
  }));
  await add('bin-truncated', (dir) =>
    verify(dir, 'casia-webface', 'bin', join(recordFolder(dir, [[png, png]], { 'lfw.bin': pickleProtocol2([png, png], [true]).subarray(0, 40) }), 'lfw.bin')),
  );
  await add('bin-pairs-mismatch', (dir) =>
    verify(dir, 'casia-webface', 'bin', join(recordFolder(dir, [[png, png]], { 'cfp_fp.bin': pickleProtocol2([png], [true]) }), 'cfp_fp.bin')),
  );
  await add('bin-truncated-png-deep', async (dir) =>
    verify(
      dir,
      'casia-webface',
      'png',
      join(recordFolder(dir, [[png, png]], { 'lfw.bin': pickleProtocol2([png, await truncatedPng()], [true]) }), 'lfw.bin'),
      true,
    ),
  );

  // -- PNG and JPEG files, pairs lists (repro data verify lfw) --
  await add('png-truncated-deep', async (dir) => ({
    ...verify(dir, 'lfw', 'png', join(await lfwFolder(dir, GOOD_PAIRS, { 'Bo/Bo_0001.png': await truncatedPng() }), 'Bo', 'Bo_0001.png'), true),
    spawn: true,
  }));
  await add('png-bad-crc-deep', async (dir) =>
    verify(dir, 'lfw', 'png', join(await lfwFolder(dir, GOOD_PAIRS, { 'Ann/Ann_0002.png': await pngWithBadCrc() }), 'Ann', 'Ann_0002.png'), true),
  );
  await add('jpeg-truncated-deep', async (dir) => {
    const lfw = await lfwFolder(dir, GOOD_PAIRS);
    writeFileSync(join(lfw, 'Ann', 'Ann_0001.png'), await truncatedJpeg()); // a JPEG under a .png name: sharp sniffs the bytes
    return verify(dir, 'lfw', 'jpeg', join(lfw, 'Ann', 'Ann_0001.png'), true);
  });
  await add('png-not-an-image', async (dir) =>
    verify(dir, 'lfw', 'png', join(await lfwFolder(dir, GOOD_PAIRS, { 'Ann/Ann_0001.png': Buffer.from('<html>not found</html>') }), 'Ann', 'Ann_0001.png')),
  );
  await add('pairs-dot-dot', async (dir) => ({
    ...verify(dir, 'lfw', 'pairs', join(await lfwFolder(dir, '1\t1\nAnn\t1\t2\n..\t1\tBo\t1\n'), 'pairs.txt')),
    names: [join(dir, 'lfw', 'pairs.txt:3'), "'..'"],
    spawn: true,
  }));
  await add('pairs-slash-in-name', async (dir) =>
    verify(dir, 'lfw', 'pairs', join(await lfwFolder(dir, '1\t1\n../../etc\t1\t2\nAnn\t1\tBo\t1\n'), 'pairs.txt')),
  );
  await add('pairs-header-count', async (dir) => verify(dir, 'lfw', 'pairs', join(await lfwFolder(dir, '2\t1\nAnn\t1\t2\nAnn\t1\tBo\t1\n'), 'pairs.txt')));
  await add('pairs-index-zero', async (dir) => verify(dir, 'lfw', 'pairs', join(await lfwFolder(dir, '1\t1\nAnn\t0\t2\nAnn\t1\tBo\t1\n'), 'pairs.txt')));
  await add('pairs-index-not-a-number', async (dir) =>
    verify(dir, 'lfw', 'pairs', join(await lfwFolder(dir, '1\t1\nAnn\tone\t2\nAnn\t1\tBo\t1\n'), 'pairs.txt')),
  );
  await add('pairs-missing-image', async (dir) => verify(dir, 'lfw', 'pairs', join(await lfwFolder(dir, '1\t1\nAnn\t1\t9\nAnn\t1\tBo\t1\n'), 'pairs.txt')));
  await add('pairs-empty', async (dir) => verify(dir, 'lfw', 'pairs', join(await lfwFolder(dir, ''), 'pairs.txt')));
  await add('pairs-binary-garbage', async (dir) => verify(dir, 'lfw', 'pairs', join(await lfwFolder(dir, garbage(1000, 6).toString('latin1')), 'pairs.txt')));

  // -- WIDER FACE and FDDB annotations --
  await add('wider-dot-dot-path', (dir) =>
    verify(
      dir,
      'widerface',
      'annotations',
      join(widerFolder(dir, '../../outside.jpg\n1\n1 2 3 4 0 0 0 0 0 0\n', png), 'wider_face_split', 'wider_face_val_bbx_gt.txt'),
    ),
  );
  await add('wider-absolute-path', (dir) =>
    verify(
      dir,
      'widerface',
      'annotations',
      join(widerFolder(dir, '/etc/outside.jpg\n1\n1 2 3 4 0 0 0 0 0 0\n', png), 'wider_face_split', 'wider_face_val_bbx_gt.txt'),
    ),
  );
  await add('wider-bad-count', (dir) =>
    verify(dir, 'widerface', 'annotations', join(widerFolder(dir, '0--Parade/a.jpg\nmany\n', png), 'wider_face_split', 'wider_face_val_bbx_gt.txt')),
  );
  await add('wider-cut-inside-boxes', (dir) =>
    verify(
      dir,
      'widerface',
      'annotations',
      join(widerFolder(dir, '0--Parade/a.jpg\n3\n1 2 3 4 0 0 0 0 0 0\n', png), 'wider_face_split', 'wider_face_val_bbx_gt.txt'),
    ),
  );
  await add('fddb-dot-dot-path', (dir) =>
    verify(dir, 'fddb', 'annotations', join(fddbFolder(dir, '../../../etc/passwd\n1\n10 8 0.5 2 2 1\n'), 'FDDB-folds', 'FDDB-fold-01-ellipseList.txt')),
  );
  await add('fddb-bad-ellipse', (dir) =>
    verify(dir, 'fddb', 'annotations', join(fddbFolder(dir, '2002/07/1/big/img_1\n1\n10 8 oops\n'), 'FDDB-folds', 'FDDB-fold-01-ellipseList.txt')),
  );

  // -- tar and tar.gz archives (repro data fetch fddb from a mirror), zip archives (xqlfw) --
  // The message names the download (its part file is removed with everything else it left).
  const fetchCase = async (name: string, format: Format, files: Record<string, Buffer>, more: Partial<BadInput> = {}) =>
    add(name, (dir) => {
      for (const [file, bytes] of Object.entries(files)) served[`${name}/${file}`] = bytes;
      const first = Object.keys(files)[0]!;
      const dataset = first.endsWith('.zip') ? 'xqlfw' : 'fddb';
      return {
        format,
        argv: ['data', 'fetch', dataset, '--data-dir', dir, '--mirror', `${mirror}/${name}`],
        exit: 2,
        names: [`${first} (downloaded from ${mirror}/${name}/${first})`],
        ...more,
      };
    });
  const fddb = async (pics: Buffer) => fddbArchives(pics);
  await fetchCase('tar-traversal', 'tar', await fddb(gzipSync(tarWithEntry('../../escaped.txt', '0'))), { spawn: true });
  await fetchCase('tar-absolute-path', 'tar', await fddb(gzipSync(tarWithEntry('/tmp/repro-escaped.txt', '0'))));
  await fetchCase('tar-long-name-traversal', 'tar', await fddb(gzipSync(Buffer.concat([tarLongName('a/../../../escaped.txt'), Buffer.alloc(1024)]))));
  await fetchCase(
    'tar-symlink-then-write-through',
    'tar',
    await fddb(gzipSync(Buffer.concat([linkHeader('2002', '/tmp', '2'), tarWithEntry('../2002/x.jpg', '0')]))),
  );
  const badChecksum = tarWithEntry('a.txt', '0');
  badChecksum[0] = 0x62;
  await fetchCase('tar-bad-header-checksum', 'tar', await fddb(gzipSync(badChecksum)));
  await fetchCase('tar-ends-early', 'tar', await fddb(gzipSync(tarWithEntry('a.txt', '0', Buffer.alloc(2000, 1)).subarray(0, 1000))));
  await fetchCase('tar-gz-broken-stream', 'tar.gz', await fddb(gzipSync(tarBytes({ 'a.txt': 'x' })).subarray(0, 30)));
  await fetchCase('tar-gz-not-gzip', 'tar.gz', await fddb(garbage(600, 7)));
  // A './' entry (some tar tools write one first) names the destination itself: skipped, not EISDIR.
  const dotSlash = Buffer.concat([tarHeader('./', 0, '0'), tarBytes(Object.fromEntries(await fddbPics()))]);
  await fetchCase('tar-dot-slash-entry', 'tar', await fddb(gzipSync(dotSlash)), { exit: 0, names: [], accepted: true });

  const zipCase = async (name: string, zip: Buffer, more: Partial<BadInput> = {}) =>
    fetchCase(name, 'zip', { 'xqlfw_aligned_112.zip': zip, 'xqlfw_pairs.txt': Buffer.from(GOOD_PAIRS) }, more);
  await zipCase('zip-traversal', zipBytes({ '../../escaped.txt': 'x' }));
  await zipCase('zip-absolute-path', zipBytes({ '/tmp/repro-escaped.txt': 'x' }));
  const badCrc = zipBytes({ 'a.txt': { data: 'hello', method: 'store' } });
  badCrc[30 + 5] ^= 1; // a byte of the stored data, after the 30-byte local header and the name
  await zipCase('zip-crc-mismatch', badCrc);
  await zipCase('zip-truncated', zipBytes({ 'a.txt': 'hello world' }).subarray(0, 40));
  await zipCase('zip-not-a-zip', garbage(300, 8));

  return { cases, served };
}

/** The FDDB images of fddbArchives, for archives built around them. */
async function fddbPics(): Promise<[string, Buffer][]> {
  const out: [string, Buffer][] = [];
  for (let f = 1; f <= 10; f++) out.push([`2002/07/${f}/big/img_${f}.jpg`, await pngBytes(5, 4, [f, 0, 0])]);
  return out;
}
