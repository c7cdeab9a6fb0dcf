// docs/report.png: `repro report` on the committed results/, loaded in headless Chromium, first screen
// at 1280 px. Run after `npm run build`, with Debian's chromium installed (.ci/run installs it):
//   node benchmarks/report/screenshot.mjs [out.png] [--full]
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { buildReport } = await import(pathToFileURL(join(root, 'dist', 'report', 'index.js')).href);
const { listPapers } = await import(pathToFileURL(join(root, 'dist', 'papers', 'index.js')).href);

const args = process.argv.slice(2);
const out = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, 'docs', 'report.png'));
const full = args.includes('--full');
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!chromium) {
  console.error('no Chromium at /usr/bin/chromium: install it (apt-get install chromium) and rerun');
  process.exit(2);
}

const { html } = await buildReport({ root: join(root, 'results'), rootLabel: 'results', papers: listPapers(), profile: 'quick' });
const dir = mkdtempSync(join(tmpdir(), 'repro-report-'));
try {
  const page = join(dir, 'report.html');
  writeFileSync(page, html);
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  try {
    const tab = await browser.newPage();
    await tab.setViewport({ width: 1280, height: 1700, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
    await tab.screenshot({ path: out, fullPage: full });
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(out);
