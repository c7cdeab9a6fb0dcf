// Downloads for `repro data fetch`: resumable HTTP(S) (Range requests onto a `.part` file), md5 /
// sha256 / size checks, and atomic placement (a file is renamed into place, an archive is extracted
// into a scratch folder and moved in only when complete). Partial downloads live in
// `<data dir>/.partial/` so an interrupted fetch resumes; nothing half-written reaches a dataset path.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { extractTarGz } from './tar.js';
import { extractZip } from './zip.js';

export interface Checksums {
  sha256?: string;
  md5?: string;
  bytes?: number;
}

/** One public file of a dataset. */
export interface Download extends Checksums {
  url: string;
  /** File name of the download (also its name on a --mirror). */
  file: string;
  /** Who states the checksums (the publisher, or a named well-known mirror). */
  checksumSource?: string;
  /** 'none': the file is placed as is; 'tar.gz' or 'zip': it is extracted. */
  unpack: 'none' | 'tar.gz' | 'zip';
  /**
   * Archives only: the folder (relative to `target`) the entries belong in. An archive whose only
   * top-level entry is this folder is extracted as is; any other archive is extracted into it (for
   * zips whose top folder is not documented).
   */
  topFolder?: string;
  /** Relative to the data dir: the file's path ('none') or the folder the archive's entries go to. */
  target: string;
  /** Relative to the data dir: a path that exists once this download is in place (skip when present). */
  provides: string;
}

export const PARTIAL_DIR = '.partial';

const MIB = 1024 * 1024;

/** A download that receives nothing for this long is aborted (and can be resumed). */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** Streams a file through md5 and sha256. */
export async function hashFile(path: string): Promise<{ md5: string; sha256: string; bytes: number }> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    md5.update(chunk);
    sha256.update(chunk);
    bytes += chunk.length;
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex'), bytes };
}

/** Compares a file with its expected size and digests; returns the mismatches (empty when it matches). */
export async function checksumMismatches(path: string, expected: Checksums): Promise<string[]> {
  const got = await hashFile(path);
  const out: string[] = [];
  if (expected.bytes !== undefined && got.bytes !== expected.bytes) out.push(`size ${got.bytes} bytes, expected ${expected.bytes}`);
  if (expected.sha256 && got.sha256 !== expected.sha256.toLowerCase()) out.push(`sha256 ${got.sha256}, expected ${expected.sha256.toLowerCase()}`);
  if (expected.md5 && got.md5 !== expected.md5.toLowerCase()) out.push(`md5 ${got.md5}, expected ${expected.md5.toLowerCase()}`);
  return out;
}

/** The URL to fetch: the catalogue's, or `<mirror>/<file>`. */
export function downloadUrl(d: Download, mirror?: string): string {
  return mirror ? `${mirror.replace(/\/+$/, '')}/${d.file}` : d.url;
}

/**
 * Fetches `url` into `part`, resuming from the bytes already there with an HTTP Range request.
 * Progress is reported in MiB steps.
 */
export async function downloadToPart(
  url: string,
  part: string,
  progress: Progress,
  label: string,
  idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
): Promise<{ resumedFrom: number; bytes: number }> {
  if (!/^https?:\/\//.test(url)) throw new InputError(`${url}: only http(s) downloads are supported. Fix: pass an http(s) --mirror.`);
  mkdirSync(dirname(part), { recursive: true });
  const have = existsSync(part) ? statSync(part).size : 0;
  // abort when no byte arrives for idleTimeoutMs (a stalled connection would otherwise hang forever)
  const abort = new AbortController();
  let idle = setTimeout(() => abort.abort(), idleTimeoutMs);
  const alive = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => abort.abort(), idleTimeoutMs);
  };
  try {
    return await downloadWithSignal(url, part, have, progress, label, abort.signal, alive, idleTimeoutMs);
  } finally {
    clearTimeout(idle);
  }
}

async function downloadWithSignal(
  url: string,
  part: string,
  haveBefore: number,
  progress: Progress,
  label: string,
  signal: AbortSignal,
  alive: () => void,
  idleTimeoutMs: number,
): Promise<{ resumedFrom: number; bytes: number }> {
  let have = haveBefore;
  const why = (error: unknown): string => (signal.aborted ? `no data for ${idleTimeoutMs / 1000} s` : (error as Error).message);
  let response: Response;
  try {
    response = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, redirect: 'follow', signal });
  } catch (error) {
    throw new InputError(`${url}: download failed (${why(error)}). Fix: check the network or pass --mirror; rerun to resume.`);
  }
  if (response.status === 416 && have > 0) {
    // the part file already holds the whole file
    await response.body?.cancel();
    return { resumedFrom: have, bytes: have };
  }
  if (response.status === 200 && have > 0) {
    have = 0; // the server ignored the Range header: start over
  } else if (response.status === 206) {
    const range = /bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== have) {
      await response.body?.cancel();
      throw new InputError(`${url}: the server resumed at a different offset (${response.headers.get('content-range')}). Fix: delete ${part} and rerun.`);
    }
  } else if (response.status !== 200) {
    await response.body?.cancel();
    throw new InputError(
      `${url}: HTTP ${response.status} ${response.statusText}. Fix: the address may have moved; see 'repro data list' for how to obtain the dataset, or pass --mirror.`,
    );
  }
  if (!response.body) throw new InputError(`${url}: empty response body`);
  if (/^text\/html/i.test(response.headers.get('content-type') ?? '') && !/\.html?$/i.test(label)) {
    // e.g. Google Drive's "quota exceeded" or sign-in page: never store it as the file
    await response.body.cancel();
    throw new InputError(
      `${url}: the server sent a web page instead of ${label} (file hosts such as Google Drive do so when the download quota is exceeded or a sign-in is needed). Fix: retry later, download the file in a browser and serve it with --mirror, or see 'repro data list' for other ways to obtain it.`,
    );
  }
  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? have + length : NaN;
  const resumedFrom = have;
  let received = have;
  let ticked = 0;
  progress.start(label, Number.isFinite(total) ? Math.max(1, Math.ceil(total / MIB)) : 0);
  const tickTo = (): void => {
    const whole = Math.floor(received / MIB);
    while (ticked < whole) {
      ticked++;
      progress.tick(`${(received / MIB).toFixed(1)}${Number.isFinite(total) ? `/${(total / MIB).toFixed(1)}` : ''} MiB`);
    }
  };
  tickTo();
  // Each chunk is appended synchronously, so every byte received is on disk when the
  // connection drops and the next run resumes exactly after it.
  const fd = openSync(part, have > 0 ? 'a' : 'w');
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      writeSync(fd, chunk);
      received += chunk.length;
      alive();
      tickTo();
    }
  } catch (error) {
    progress.stop();
    throw new InputError(`${url}: download interrupted after ${received} bytes (${why(error)}). Fix: rerun 'repro data fetch' to resume.`);
  } finally {
    closeSync(fd);
  }
  if (Number.isFinite(total) && received < total) {
    progress.stop();
    throw new InputError(`${url}: the connection closed after ${received} of ${total} bytes. Fix: rerun 'repro data fetch' to resume.`);
  }
  if (Number.isFinite(total) && ticked < Math.ceil(total / MIB)) progress.tick(`${(received / MIB).toFixed(1)} MiB`);
  progress.stop();
  return { resumedFrom, bytes: received };
}

/**
 * Moves every entry of `from` into `to`, merging folders; then removes `from`. The entry on the way
 * to `last` (a relative path) moves last, so a merge cut short never makes that marker appear early.
 */
export function mergeInto(from: string, to: string, last = ''): void {
  mkdirSync(to, { recursive: true });
  const [head = '', ...rest] = last.split('/').filter(Boolean);
  const entries = readdirSync(from, { withFileTypes: true }).sort((a, b) => Number(a.name === head) - Number(b.name === head));
  for (const entry of entries) {
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory() && existsSync(dst) && statSync(dst).isDirectory()) mergeInto(src, dst, entry.name === head ? rest.join('/') : '');
    else {
      if (existsSync(dst)) rmSync(dst, { recursive: true, force: true });
      renameSync(src, dst);
    }
  }
  rmSync(from, { recursive: true, force: true });
}

export interface FetchedFile {
  file: string;
  url: string;
  status: 'present' | 'downloaded';
  resumedFrom?: number;
  bytes?: number;
}

/** Downloads, checks and places one file. A checksum mismatch deletes the part file and throws. */
export async function fetchOne(
  d: Download,
  dataDir: string,
  options: { progress: Progress; mirror?: string; force?: boolean; idleTimeoutMs?: number },
): Promise<FetchedFile> {
  const url = downloadUrl(d, options.mirror);
  if (!options.force && existsSync(join(dataDir, d.provides))) return { file: d.file, url, status: 'present' };
  const partialDir = join(dataDir, PARTIAL_DIR);
  const part = join(partialDir, `${d.file}.part`);
  // scratch folders of an extraction that was interrupted
  if (existsSync(partialDir)) {
    for (const f of readdirSync(partialDir)) if (f.startsWith(`${d.file}.extract-`)) rmSync(join(partialDir, f), { recursive: true, force: true });
  }
  const { resumedFrom, bytes } = await downloadToPart(url, part, options.progress, d.file, options.idleTimeoutMs);
  const mismatches = await checksumMismatches(part, d);
  if (mismatches.length) {
    rmSync(part, { force: true });
    removeIfEmpty(partialDir);
    throw new InputError(
      `${url}: the downloaded file does not match the catalogue (${mismatches.join('; ')}). The partial file was deleted. Fix: rerun to download again; if it persists the publisher changed the file or a mirror serves a different one.`,
    );
  }
  if (d.unpack === 'none') {
    const dest = join(dataDir, d.target);
    mkdirSync(dirname(dest), { recursive: true });
    renameSync(part, dest);
  } else {
    const scratch = join(partialDir, `${d.file}.extract-${randomBytes(4).toString('hex')}`);
    try {
      options.progress.log(`extracting ${d.file}`);
      if (d.unpack === 'zip') await extractZip(part, scratch);
      else await extractTarGz(part, scratch);
      if (d.topFolder) wrapInTopFolder(scratch, d.topFolder);
      mergeInto(scratch, join(dataDir, d.target), relative(join(dataDir, d.target), join(dataDir, d.provides)).split(sep).join('/'));
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true });
      rmSync(part, { force: true });
      removeIfEmpty(partialDir); // a refused archive leaves nothing behind
      // The part file is gone: name the download instead.
      if (error instanceof InputError) throw new InputError(error.message.split(part).join(`${d.file} (downloaded from ${url})`));
      throw error;
    }
    rmSync(part, { force: true });
  }
  removeIfEmpty(partialDir);
  return { file: d.file, url, status: 'downloaded', resumedFrom, bytes };
}

/** Folders some zip tools add that are no part of the data. */
const ARCHIVE_LITTER = ['__MACOSX'];

/** Unless `dir` has a top-level folder named `folder`, every entry of `dir` moves into a new one. */
export function wrapInTopFolder(dir: string, folder: string): void {
  for (const litter of ARCHIVE_LITTER) rmSync(join(dir, litter), { recursive: true, force: true });
  const entries = readdirSync(dir);
  if (entries.includes(folder) && statSync(join(dir, folder)).isDirectory()) return;
  const inner = join(dir, `.wrap-${randomBytes(4).toString('hex')}`);
  mkdirSync(inner);
  for (const e of entries) renameSync(join(dir, e), join(inner, e));
  mkdirSync(dirname(join(dir, folder)), { recursive: true });
  renameSync(inner, join(dir, folder));
}

export function removeIfEmpty(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
}
