// Streaming extraction of .tar.gz archives (POSIX ustar with GNU long names and pax 'path'
// records), so `repro data fetch` needs no external tar. Entries with absolute paths or '..' are
// refused; links and devices are skipped.
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join, normalize, isAbsolute, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { quoted } from '../core/text.js';
import { corruptFile } from './fileio.js';

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.toString('utf8', 0, end < 0 ? length : end);
}

function octal(header: Buffer, start: number, length: number): number {
  if (header[start]! & 0x80) {
    // GNU base-256 for sizes >= 8 GiB
    let v = 0;
    for (let i = start + 1; i < start + length; i++) v = v * 256 + header[i]!;
    return v;
  }
  const s = field(header, start, length).trim();
  return s ? parseInt(s, 8) : 0;
}

function safeJoin(root: string, name: string, archive: string, offset: number): string {
  const clean = normalize(name);
  if (isAbsolute(clean) || clean.split(sep).includes('..') || name.includes('\0'))
    throw corruptFile(
      archive,
      { offset, uncompressed: true },
      `unsafe entry path '${quoted(name)}'`,
      'the archive is not the published one; do not extract it',
    );
  return join(root, clean);
}

/** './', '.', '' name the destination itself, which exists already: nothing to create. */
function isArchiveRoot(name: string): boolean {
  return ['.', ''].includes(normalize(name).replace(/\/+$/, ''));
}

/** Extracts `archive` (gzip-compressed tar) into `dest`; returns the regular files written (relative). */
export async function extractTarGz(archive: string, dest: string): Promise<string[]> {
  mkdirSync(dest, { recursive: true });
  const written: string[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let offset = 0; // offset in the uncompressed stream of `pending[0]`
  let fileFd: number | null = null;
  let remaining = 0; // data bytes left of the current entry
  let padding = 0; // zero bytes after the data
  let longName: string | null = null;
  let paxPath: string | null = null;
  let collect: 'longname' | 'pax' | null = null;
  let collected: Buffer[] = [];
  let ended = false;

  const handleHeader = (h: Buffer, at: number): void => {
    if (h.every((b) => b === 0)) {
      ended = true;
      return;
    }
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== octal(h, 148, 8)) throw corruptFile(archive, { offset: at, uncompressed: true }, 'tar header checksum mismatch');
    const type = String.fromCharCode(h[156]!);
    const size = octal(h, 124, 12);
    const prefix = field(h, 257, 6).startsWith('ustar') ? field(h, 345, 155) : '';
    let name = longName ?? paxPath ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    if (type !== 'L' && type !== 'x' && type !== 'g') {
      longName = null;
      paxPath = null;
    }
    remaining = size;
    padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'L' || type === 'x') {
      collect = type === 'L' ? 'longname' : 'pax';
      collected = [];
    } else if ((type === '0' || type === '\0' || type === '7') && !name.endsWith('/')) {
      const path = safeJoin(dest, name, archive, at);
      try {
        mkdirSync(dirname(path), { recursive: true });
        fileFd = openSync(path, 'w');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw corruptFile(
          archive,
          { offset: at, uncompressed: true },
          `entry '${quoted(name)}' cannot be written to ${path} (${code}: a folder and a file of the same name?)`,
          'the archive is not the published one; do not extract it',
        );
      }
      name = normalize(name);
      written.push(name);
    } else if (type === '5' || type === '0' || type === '\0') {
      // A folder: type 5, or (old tars) a regular entry whose name ends in '/'.
      const path = safeJoin(dest, name, archive, at);
      if (!isArchiveRoot(name)) mkdirSync(path, { recursive: true });
    }
    // other types (links, devices, global pax): data skipped
  };

  const finishEntry = (): void => {
    if (fileFd !== null) {
      closeSync(fileFd);
      fileFd = null;
    }
    if (collect) {
      const data = Buffer.concat(collected);
      if (collect === 'longname') longName = field(data, 0, data.length);
      else {
        const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
        if (m) paxPath = m[1]!;
      }
      collect = null;
    }
  };

  try {
    for await (const chunk of createReadStream(archive).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      if (ended) break;
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let pos = 0;
      while (!ended) {
        if (remaining > 0) {
          const n = Math.min(remaining, pending.length - pos);
          if (n === 0) break;
          const piece = pending.subarray(pos, pos + n);
          if (fileFd !== null) writeSync(fileFd, piece);
          else if (collect) collected.push(Buffer.from(piece));
          remaining -= n;
          pos += n;
          if (remaining === 0) finishEntry();
          continue;
        }
        if (padding > 0) {
          const n = Math.min(padding, pending.length - pos);
          if (n === 0) break;
          padding -= n;
          pos += n;
          continue;
        }
        if (pending.length - pos < BLOCK) break;
        handleHeader(pending.subarray(pos, pos + BLOCK), offset + pos);
        pos += BLOCK;
        if (remaining === 0 && padding === 0) finishEntry();
      }
      offset += pos;
      pending = pending.subarray(pos);
    }
  } catch (error) {
    if (fileFd !== null) closeSync(fileFd);
    if ((error as { code?: string }).code?.startsWith('Z_')) throw corruptFile(archive, {}, `broken gzip stream (${(error as Error).message})`);
    throw error;
  }
  if (fileFd !== null) closeSync(fileFd);
  if (!ended && (remaining > 0 || padding > 0 || pending.length > 0)) throw corruptFile(archive, { offset, uncompressed: true }, 'the tar archive ends early');
  return written;
}
