// The registry of paper modules: one line per paper. Commands and the worker entry resolve ids here;
// the harness below is handed modules and never looks papers up itself.
import { InputError } from '../core/errors.js';
import type { PaperModule } from '../core/types.js';
import { acwPaper } from './acw.js';
import { bamsprodPaper } from './bamsprod.js';
import { cassodPaper } from './cassod.js';
import { condensationPaper } from './condensation.js';
import { ddcPaper } from './ddc.js';
import { gaPaper } from './ga.js';
import { gabnPaper } from './gabn.js';
import { lrfrPaper } from './lrfr.js';
import { mdaPaper } from './mda.js';
import { sfacePaper } from './sface.js';

export const PAPERS: PaperModule[] = [bamsprodPaper, cassodPaper, ddcPaper, condensationPaper, mdaPaper, sfacePaper, lrfrPaper, acwPaper, gaPaper, gabnPaper];

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
