// `repro data fetch NAME`: every public download of a dataset, resumable and checked, then the
// dataset's structural verifier.
import { mkdirSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { verifyDataset, type DatasetEntry, type VerifyReport } from './catalog.js';
import { fetchOne, type FetchedFile } from './download.js';
import type { VerifyOptions } from './verify.js';

export interface FetchOptions {
  progress?: Progress;
  /** Base URL serving the same file names (an internal mirror, or a test server). */
  mirror?: string;
  /** Download again even when the files are in place. */
  force?: boolean;
  verify?: VerifyOptions | false;
  /** Abort a download that receives nothing for this long (default 60 s); rerunning resumes it. */
  idleTimeoutMs?: number;
}

export interface FetchReport {
  name: string;
  files: FetchedFile[];
  verification: VerifyReport | null;
}

export async function fetchDataset(entry: DatasetEntry, dataDir: string, options: FetchOptions = {}): Promise<FetchReport> {
  if (entry.downloads.length === 0) {
    throw new InputError(
      `dataset '${entry.name}' has no public download address (${entry.access}). To obtain it: ${entry.obtain}. Homepage: ${entry.homepage}.`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const progress = options.progress ?? silentProgress;
  const files: FetchedFile[] = [];
  for (const d of entry.downloads)
    files.push(await fetchOne(d, dataDir, { progress, mirror: options.mirror, force: options.force, idleTimeoutMs: options.idleTimeoutMs }));
  const verification = options.verify === false ? null : await verifyDataset(entry, dataDir, options.verify ?? {});
  return { name: entry.name, files, verification };
}
