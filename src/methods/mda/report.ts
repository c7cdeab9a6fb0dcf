// The reporting rule: which epochs a reported number comes from (docs/papers/mda.md "Evaluation": the code reports
// the mean test accuracy of the last 10 epochs; JoCoR's Clothing1M table reports best and last).
import type { EpochRecord } from './train.js';

export type ReportRule = { kind: 'best' } | { kind: 'last' } | { kind: 'mean-last'; k: number };

/** Parses 'best', 'last' or 'mean-last-<k>'. */
export function parseReportRule(text: string): ReportRule {
  if (text === 'best' || text === 'last') return { kind: text };
  const match = /^mean-last-(\d+)$/.exec(text);
  if (match && Number(match[1]) >= 1) return { kind: 'mean-last', k: Number(match[1]) };
  throw new RangeError(`unknown reporting rule '${text}': use best, last or mean-last-<k> (e.g. mean-last-10)`);
}

export function formatReportRule(rule: ReportRule): string {
  return rule.kind === 'mean-last' ? `mean-last-${rule.k}` : rule.kind;
}

/**
 * The epochs a rule reports: the last one; the last k; or the single epoch of highest test accuracy
 * (the first such epoch on ties). Every metric is then averaged over these epochs.
 */
export function reportedEpochs(records: EpochRecord[], rule: ReportRule): EpochRecord[] {
  if (records.length === 0) return [];
  if (rule.kind === 'last') return records.slice(-1);
  if (rule.kind === 'mean-last') return records.slice(-rule.k);
  let best = records[0]!;
  for (const r of records) if (r.testAcc > best.testAcc) best = r;
  return [best];
}

/** Mean of one metric over the epochs a rule reports (NaN when the metric is missing). */
export function reportMetric(records: EpochRecord[], rule: ReportRule, metric: (r: EpochRecord) => number | undefined): number {
  const epochs = reportedEpochs(records, rule);
  if (epochs.length === 0) return Number.NaN;
  let sum = 0;
  for (const r of epochs) sum += metric(r) ?? Number.NaN;
  return sum / epochs.length;
}
