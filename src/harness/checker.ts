// Joins measured rows with the expected numbers: a status per cell and per claim.
import type {
  CellRef,
  CheckReport,
  CheckedRow,
  Claim,
  ClaimResult,
  ExpectedCell,
  ExpectedFile,
  MeasuredRow,
  Profile,
  RowKey,
  Tolerance,
} from '../core/types.js';

/** Canonical text of a key, independent of property order and of number-vs-string. */
export function keyId(key: RowKey): string {
  return Object.keys(key)
    .sort()
    .map((k) => `${k}=${String(key[k])}`)
    .join(',');
}

function cellId(table: string, key: RowKey, metric: string): string {
  return `${table}|${keyId(key)}|${metric}`;
}

/**
 * A tolerance as the expected file writes it: `±0.01` for abs 0.01, `±0.5%` for rel 0.005. The
 * percentage is the number's decimal text with the point moved two places (1e-9 → 0.0000001), not
 * rel × 100, whose binary rounding would print 1.0000000000000001e-7.
 */
export function formatTolerance(t: Tolerance | undefined): string {
  if (!t) return '';
  return 'abs' in t ? `±${t.abs}` : `±${shiftDecimalPoint(String(t.rel), 2)}%`;
}

/** The decimal text of `text` (a JavaScript number's String) times 10^places, without arithmetic. */
export function shiftDecimalPoint(text: string, places: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
  if (!m) return text; // Infinity, NaN: nothing to shift
  const [, sign, int, frac = '', exp = '0'] = m;
  const digits = `${int}${frac}`;
  const point = int!.length + Number(exp) + places; // position of the point in `digits`
  const padded = point <= 0 ? `${'0'.repeat(1 - point)}${digits}` : point > digits.length ? digits.padEnd(point, '0') : digits;
  const at = Math.max(point, 1);
  const whole = padded.slice(0, at).replace(/^0+(?=\d)/, '');
  const fraction = padded.slice(at).replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function withinTolerance(value: number, expected: number, t: Tolerance): boolean {
  const allowed = 'abs' in t ? t.abs : Math.abs(expected) * t.rel;
  // A small epsilon so that exact decimal tolerances are not lost to rounding.
  return Math.abs(value - expected) <= allowed + 1e-12 * Math.max(1, Math.abs(expected));
}

function checkRow(row: MeasuredRow, cell: ExpectedCell | undefined): CheckedRow {
  if (!cell || cell.expected === null) {
    return {
      ...row,
      expected: null,
      tolerance: '',
      provenance: cell?.provenance ?? '',
      status: 'no-reference',
      note: joinNotes(row.note, cell?.note),
    };
  }
  const tolerance = cell.tolerance!;
  const pass = row.value !== null && Number.isFinite(row.value) && withinTolerance(row.value, cell.expected, tolerance);
  return {
    ...row,
    expected: cell.expected,
    tolerance: formatTolerance(tolerance),
    provenance: cell.provenance,
    status: pass ? 'pass' : 'fail',
    note: joinNotes(row.note, cell.note),
  };
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  // Notes re-read from a CSV already hold the expected file's note: keep each part once.
  const parts = [...new Set(notes.flatMap((n) => (n ? n.split('; ') : [])))];
  return parts.length ? parts.join('; ') : undefined;
}

const OPS: Record<Claim['op'], (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function refText(ref: CellRef): string {
  return `${ref.table}[${keyId(ref.key)}].${ref.metric}`;
}

function checkClaim(claim: Claim, values: Map<string, number | null>): ClaimResult {
  const lookup = (ref: CellRef) => values.get(cellId(ref.table, ref.key, ref.metric)) ?? null;
  const left = lookup(claim.left);
  const base = typeof claim.right === 'number' ? claim.right : lookup(claim.right);
  const scale = claim.scale ?? 1;
  const offset = claim.offset ?? 0;
  const right = base === null ? null : base * scale + offset;
  const rightText =
    (scale !== 1 ? `${scale} x ` : '') + (typeof claim.right === 'number' ? String(claim.right) : refText(claim.right)) + (offset !== 0 ? ` + ${offset}` : '');
  const relation = `${refText(claim.left)} ${claim.op} ${rightText}`;
  if (left === null || right === null || !Number.isFinite(left) || !Number.isFinite(right)) {
    const missing = [claim.left, claim.right].filter((r): r is CellRef => typeof r !== 'number' && !Number.isFinite(lookup(r) ?? NaN));
    return { ...claimHead(claim), status: 'fail', left, right, detail: `${relation}: no measured value for ${missing.map(refText).join(', ')}` };
  }
  const pass = OPS[claim.op](left, right);
  return { ...claimHead(claim), status: pass ? 'pass' : 'fail', left, right, detail: `${relation}: ${fmt(left)} ${claim.op} ${fmt(right)}` };
}

function claimHead(claim: Claim) {
  return { id: claim.id, description: claim.description, provenance: claim.provenance };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6);
}

/**
 * Checks measured rows against the expected file at a profile. Expected cells of this profile that
 * were not measured are reported as failed rows, so a reproduction cannot pass by omission.
 */
export function check(paper: string, profile: Profile, rows: MeasuredRow[], expected: ExpectedFile): CheckReport {
  const cells = new Map<string, ExpectedCell>();
  for (const [table, spec] of Object.entries(expected.tables)) {
    for (const cell of spec.cells) {
      if (cell.profiles.includes(profile)) cells.set(cellId(table, cell.key, cell.metric), cell);
    }
  }
  const checked: CheckedRow[] = [];
  const values = new Map<string, number | null>();
  const seen = new Set<string>();
  for (const row of rows) {
    const id = cellId(row.table, row.key, row.metric);
    seen.add(id);
    values.set(id, row.value);
    checked.push(checkRow(row, cells.get(id)));
  }
  for (const [table, spec] of Object.entries(expected.tables)) {
    for (const cell of spec.cells) {
      const id = cellId(table, cell.key, cell.metric);
      if (!cell.profiles.includes(profile) || seen.has(id) || cell.expected === null) continue;
      checked.push({
        ...checkRow({ table, key: cell.key, metric: cell.metric, value: null }, cell),
        status: 'fail',
        note: joinNotes('not measured at this profile', cell.note),
      });
    }
  }
  const claims = expected.claims.filter((c) => c.profiles.includes(profile)).map((c) => checkClaim(c, values));
  return { paper, profile, rows: checked, claims };
}

export type OverallStatus = 'pass' | 'fail';

export function overallStatus(report: CheckReport): OverallStatus {
  return report.rows.some((r) => r.status === 'fail') || report.claims.some((c) => c.status === 'fail') ? 'fail' : 'pass';
}

export function countStatuses(report: CheckReport): Record<'pass' | 'fail' | 'no-reference', number> {
  const counts = { pass: 0, fail: 0, 'no-reference': 0 };
  for (const row of report.rows) counts[row.status]++;
  for (const claim of report.claims) counts[claim.status]++;
  return counts;
}
