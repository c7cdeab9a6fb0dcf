// `repro report` in a real browser (issue #19): headless Chromium (Debian's `chromium`, which .ci/run
// installs) loads the page written for the committed results/ from file://, with no console error or
// page error and no failed request; every plot's SVG has drawn marks; a screenshot is saved to a
// temporary folder. Skips, saying so, where no Chromium binary exists.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESULTS_DIR } from '../../src/core/paths.js';
import { listPapers } from '../../src/papers/index.js';
import { buildReport } from '../../src/report/index.js';

const CANDIDATES = [process.env.REPRO_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
const chromium = CANDIDATES.find((p) => existsSync(p));
const SKIP = `no Chromium binary at ${CANDIDATES.join(' or ')}: install Debian's chromium (bash .ci/run does, as root) or set REPRO_CHROMIUM`;
if (!chromium) console.warn(`test/report/browser.test.ts skipped: ${SKIP}`);

const tmp = mkdtempSync(join(tmpdir(), 'repro-report-browser-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!chromium)(`report in headless Chromium${chromium ? '' : ` (skipped: ${SKIP})`}`, () => {
  it('loads without errors, every plot has marks, and a screenshot is saved', async () => {
    const { html, plots } = await buildReport({ root: DEFAULT_RESULTS_DIR, rootLabel: 'results', papers: listPapers(), profile: 'quick' });
    const file = join(tmp, 'report.html');
    writeFileSync(file, html);
    const browser = await puppeteer.launch({ executablePath: chromium, args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
      page.on('pageerror', (e) => void problems.push(`page error: ${(e as Error).message}`));
      page.on('requestfailed', (r) => void problems.push(`request failed: ${r.url().slice(0, 80)}`));
      await page.setViewport({ width: 1280, height: 1600 });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // Per plot: the marks of Vega's mark groups that the browser lays out with a size.
      const marks = await page.$$eval('.plot', (divs) =>
        divs.map((div) => {
          const title = div.querySelector('h4')?.textContent ?? '';
          const svg = div.querySelector('svg');
          const drawn = svg
            ? [...svg.querySelectorAll('g.role-mark > path')].filter((p) => {
                const box = (p as SVGGraphicsElement).getBBox();
                return p.closest('g.mark-line') ? box.width > 0 || box.height > 0 : box.width > 0 && box.height > 0;
              }).length
            : 0;
          return { title, drawn };
        }),
      );
      expect(marks.length).toBe(plots.reduce((n, p) => n + p.titles.length, 0));
      for (const m of marks) expect(m.drawn, m.title).toBeGreaterThan(0);
      const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ alt: i.alt, ok: i.complete && i.naturalWidth > 0 })));
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) expect(image.ok, image.alt).toBe(true);
      const shot = join(tmp, 'report.png');
      await page.screenshot({ path: shot });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
