// The registry of paper modules: one line per paper. Commands and the worker entry resolve ids here;
// the harness below is handed modules and never looks papers up itself.
import { InputError } from '../core/errors.js';
import type { PaperModule } from '../core/types.js';
import { bamsprod } from './bamsprod.js';
import { cassod } from './cassod.js';
import { condensation } from './condensation.js';
import { ddc } from './ddc.js';
import { lrfr } from './lrfr.js';
import { mda } from './mda.js';
import { sface } from './sface.js';

export const PAPERS: PaperModule[] = [bamsprod, cassod, ddc, condensation, mda, sface, lrfr];

/** Handed to the runner so that its worker processes can find a paper by id. */
export const REGISTRY_URL = import.meta.url;

export function listPapers(): PaperModule[] {
  return PAPERS;
}

export function getPaper(id: string): PaperModule {
  const paper = PAPERS.find((p) => p.id === id);
  if (!paper) {
    throw new InputError(`unknown paper '${id}'. Known papers: ${PAPERS.map((p) => p.id).join(', ')} (see repro list).`);
  }
  return paper;
}
