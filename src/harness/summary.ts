// Plain-text tables for the terminal.
import { countStatuses } from './checker.js';
import { formatNumber } from './results.js';
import type { CheckReport } from '../core/types.js';

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Every checked cell and claim of one paper run. */
export function reportText(report: CheckReport): string {
  const rows = report.rows.map((r) => [
    r.table,
    Object.values(r.key).join(' '),
    r.metric,
    formatNumber(r.value),
    formatNumber(r.expected),
    r.tolerance,
    r.status,
  ]);
  const parts = [textTable(['table', 'row', 'metric', 'value', 'expected', 'tol', 'status'], rows)];
  if (report.claims.length > 0) {
    parts.push(
      textTable(
        ['claim', 'status', 'relation'],
        report.claims.map((c) => [c.id, c.status, c.detail]),
      ),
    );
  }
  const counts = countStatuses(report);
  parts.push(`${report.paper} (${report.profile}): ${counts.pass} pass, ${counts.fail} fail, ${counts['no-reference']} no-reference`);
  return parts.join('\n\n');
}
