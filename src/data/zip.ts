// Extraction of .zip archives (XQLFW, TinyFace and WIDER FACE are distributed as zips) with yauzl,
// so `repro data fetch` needs no external unzip. Like tar.ts: entries with absolute paths or '..'
// are refused, symbolic links are skipped, and every file's CRC-32 is checked against the central
// directory (yauzl checks sizes, not CRCs). The caller extracts into a scratch folder and moves it
// into place only when this returns (download.ts), so a corrupt archive leaves nothing behind.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { InputError } from '../core/errors.js';
import { corruptFile } from './fileio.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
/** Host system "Unix" in the high byte of versionMadeBy: only then are the high attribute bits a mode. */
const HOST_UNIX = 3;

const REFETCH = 'the download is truncated or corrupted; delete it and download it again';

function safeJoin(root: string, name: string, archive: string, offset: number): string {
  const clean = normalize(name);
  if (isAbsolute(clean) || /^[a-zA-Z]:/.test(clean) || clean.split(sep).includes('..')) {
    throw corruptFile(archive, { offset }, `unsafe entry path '${name}'`, 'the archive is not the published one; do not extract it');
  }
  return join(root, clean);
}

function isSymlink(entry: yauzl.Entry): boolean {
  return entry.versionMadeBy >> 8 === HOST_UNIX && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
}

/** Writes one entry's data to `path`, returning its CRC-32. */
async function writeEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, path: string): Promise<number> {
  const stream = await zip.openReadStreamPromise(entry);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      writeSync(fd, chunk);
      crc = crc32(chunk, crc);
    }
  } finally {
    closeSync(fd);
  }
  return crc >>> 0;
}

/**
 * Extracts `archive` (zip, stored or deflated entries, zip64 included) into `dest`; returns the
 * regular files written (relative, '/'-separated, in archive order). A truncated or corrupt archive
 * throws InputError (exit 2) naming it.
 */
export async function extractZip(archive: string, dest: string): Promise<string[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archive, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    throw corruptFile(archive, {}, `not a readable zip archive (${(error as Error).message.replace(/\.$/, '')})`, REFETCH);
  }
  mkdirSync(dest, { recursive: true });
  const written: string[] = [];
  let current = '';
  try {
    for await (const entry of zip.eachEntry()) {
      current = entry.fileName;
      const at = entry.relativeOffsetOfLocalHeader;
      if (entry.fileName.endsWith('/')) {
        mkdirSync(safeJoin(dest, entry.fileName, archive, at), { recursive: true });
        continue;
      }
      const path = safeJoin(dest, entry.fileName, archive, at);
      if (isSymlink(entry)) continue; // links are skipped, as in tar.ts
      if (entry.isEncrypted())
        throw corruptFile(archive, { offset: at }, `entry '${entry.fileName}' is encrypted`, 'extract it with the password the publisher gives, by hand');
      if (!entry.canDecodeFileData())
        throw corruptFile(
          archive,
          { offset: at },
          `entry '${entry.fileName}' uses compression method ${entry.compressionMethod}, which this reader cannot decode (stored and deflate only)`,
          'extract it with another unzip tool into the data folder',
        );
      const crc = await writeEntry(zip, entry, path);
      if (crc !== entry.crc32 >>> 0) {
        throw corruptFile(
          archive,
          { offset: at },
          `CRC-32 mismatch in entry '${entry.fileName}' (0x${crc.toString(16).padStart(8, '0')}, the archive says 0x${(entry.crc32 >>> 0).toString(16).padStart(8, '0')})`,
          REFETCH,
        );
      }
      written.push(normalize(entry.fileName).split(sep).join('/'));
      current = '';
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const message = (error as Error).message.replace(/\.$/, '');
    const unsafe = /^(?:invalid relative path|absolute path): (.*)$/.exec(message);
    if (unsafe) throw corruptFile(archive, {}, `unsafe entry path '${unsafe[1]}'`, 'the archive is not the published one; do not extract it');
    throw corruptFile(archive, {}, `broken zip archive${current ? ` at entry '${current}'` : ''} (${message})`, REFETCH);
  } finally {
    zip.close();
  }
  return written;
}
