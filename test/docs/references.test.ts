// Every document a comment, help text or doc cites exists in a clone: `docs/<file>.md "Heading"`
// citations name a real file and heading, relative markdown links resolve, and no machine path
// (/work/..., /root/..., /home/...) is written into the repository's sources.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = ['src', 'benchmarks', 'docs', 'test', 'expected', 'README.md', '.ci'];
const EXTENSIONS = ['.ts', '.md', '.mjs', '.py', '.json', '.sh', ''];

function walk(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => (name === 'node_modules' ? [] : walk(join(path, name))));
}

const files = SOURCES.map((s) => join(ROOT, s))
  .filter(existsSync)
  .flatMap(walk)
  .filter((f) => EXTENSIONS.some((e) => (e === '' ? !f.slice(f.lastIndexOf('/')).includes('.') : f.endsWith(e))));

const headingCache = new Map<string, Set<string>>();
function headings(file: string): Set<string> {
  if (!headingCache.has(file)) {
    const found = readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^#{1,6}\s+(.*?)\s*$/.exec(line)?.[1])
      .filter((h): h is string => h !== undefined);
    headingCache.set(file, new Set(found));
  }
  return headingCache.get(file)!;
}

// A citation may be split over comment lines: join them first.
const flatten = (text: string) => text.replace(/\n\s*(\/\/|\*|#)?\s*/g, ' ');
const HEADINGS = String.raw`((?:\s*"[^"\n]+")(?:\s*(?:,|and|or)\s*"[^"\n]+")*)?`;
const CITATION = new RegExp(String.raw`(docs/[\w./-]+\.md)` + HEADINGS, 'g');
const LINK = new RegExp(String.raw`\]\(([^)#\s]+)(#[^)]*)?\)` + HEADINGS, 'g');
const quoted = (text: string | undefined) => [...(text ?? '').matchAll(/"([^"\n]+)"/g)].map((m) => m[1]!);

describe('document references', () => {
  it('finds the sources to check', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('every docs/ citation names an existing file and heading', () => {
    const bad: string[] = [];
    for (const file of files) {
      if (file.endsWith('references.test.ts')) continue;
      for (const m of flatten(readFileSync(file, 'utf8')).matchAll(CITATION)) {
        const target = join(ROOT, m[1]!);
        if (!existsSync(target)) bad.push(`${relative(ROOT, file)}: no file ${m[1]}`);
        else for (const h of quoted(m[2])) if (!headings(target).has(h)) bad.push(`${relative(ROOT, file)}: ${m[1]} has no heading "${h}"`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every relative link of a markdown file resolves', () => {
    const bad: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.md'))) {
      for (const m of flatten(readFileSync(file, 'utf8')).matchAll(LINK)) {
        if (/^[a-z]+:/.test(m[1]!)) continue;
        if (!existsSync(normalize(join(dirname(file), m[1]!)))) bad.push(`${relative(ROOT, file)}: broken link ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no source names a path of the machine it was written on', () => {
    const bad = files
      .filter((f) => !f.endsWith('references.test.ts'))
      .filter((f) => /(^|[\s'"`(=])\/(work|root|home)\//m.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(bad).toEqual([]);
  });
});
