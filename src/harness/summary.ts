// Plain-text tables for the terminal.
import { countStatuses } from './checker.js';
import { checkedCells } from './results.js';
import type { CheckedRow, CheckReport } from '../core/types.js';

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const CELL_HEADER = ['table', 'row', 'metric', 'measured', 'expected', 'tol', 'provenance', 'status'];
const cellRow = (r: CheckedRow) => [r.table, Object.values(r.key).join(' '), ...checkedCells(r)];

/** The failed cells and claims of one paper run, or '' when there are none (`repro run` lists them first). */
export function failuresText(report: CheckReport): string {
  const failed = report.rows.filter((r) => r.status === 'fail');
  const failedClaims = report.claims.filter((c) => c.status === 'fail');
  const parts: string[] = [];
  const where = `${report.paper} (${report.profile})`;
  if (failed.length > 0) parts.push(`FAILED cells of ${where} (${failed.length})\n${textTable(CELL_HEADER, failed.map(cellRow))}`);
  if (failedClaims.length > 0) {
    parts.push(
      `FAILED claims of ${where} (${failedClaims.length})\n${textTable(
        ['claim', 'provenance', 'relation'],
        failedClaims.map((c) => [c.id, c.provenance, c.detail]),
      )}`,
    );
  }
  return parts.join('\n\n');
}

/**
 * One paper's verdict for the terminal: failed checks and claims first, with what a reviewer needs to
 * judge them (measured, expected, tolerance, provenance); then the passed cells; cells without a
 * reference are counted, and listed only with `verbose`.
 */
export function reportText(report: CheckReport, options: { verbose?: boolean } = {}): string {
  const failedClaims = report.claims.filter((c) => c.status === 'fail');
  const shown = report.rows.filter((r) => r.status === 'pass' || (options.verbose && r.status === 'no-reference'));
  const parts: string[] = [];
  const failures = failuresText(report);
  if (failures) parts.push(failures);
  if (shown.length > 0) parts.push(textTable(CELL_HEADER, shown.map(cellRow)));
  const passedClaims = report.claims.filter((c) => c.status === 'pass');
  if (passedClaims.length > 0) {
    parts.push(
      textTable(
        ['claim', 'status', 'relation'],
        passedClaims.map((c) => [c.id, c.status, c.detail]),
      ),
    );
  }
  const counts = countStatuses({ ...report, claims: [] });
  const claimCounts = `claims ${passedClaims.length} pass, ${failedClaims.length} fail`;
  const hidden = options.verbose || counts['no-reference'] === 0 ? '' : ' (not listed; --verbose lists them)';
  parts.push(
    `${report.paper} (${report.profile}): cells ${counts.pass} pass, ${counts.fail} fail, ${counts['no-reference']} no-reference${hidden}; ${claimCounts}`,
  );
  return parts.join('\n\n');
}
