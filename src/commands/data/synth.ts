import { Flags } from '@oclif/core';
import { ReproCommand } from '../../cli/command.js';
import { InputError } from '../../core/errors.js';
import { validateOutDir } from '../../core/paths.js';
import { MAX_SEED } from '../../core/rng.js';
import { createProgress, progressMode } from '../../core/progress.js';
import { DEFAULT_SEED } from '../../harness/runner.js';
import { writeSynthFolder } from '../../data/synth3dmm/folder.js';

export default class DataSynth extends ReproCommand {
  static override summary = 'Render synthetic 3DMM RGB-D faces into an LFW-style folder with pairs.txt';
  static override description =
    'Writes OUT/<name>/<name>_<nnnn>.png (RGB), OUT/<name>/depth/<name>_<nnnn>.png (16-bit depth, round(depth*65535), ' +
    '0 = background, 1 = nearest point), an LFW-format pairs.txt with identity-disjoint folds, and synth3dmm.json. ' +
    'The folder appears only when complete. Same --seed, same bytes.';
  static override examples = [
    '<%= config.bin %> data synth --ids 100 --per-id 10 --out /tmp/synth',
    '<%= config.bin %> data synth --ids 20 --per-id 4 --size 64 --out faces --json',
  ];
  static override flags = {
    ids: Flags.integer({ description: 'number of identities (2 to 1000000)', required: true, min: 2, max: 1_000_000 }),
    'per-id': Flags.integer({ description: 'images per identity (2 to 10000)', required: true, min: 2, max: 10_000 }),
    out: Flags.string({ description: 'output folder (must not exist unless --force)', required: true }),
    seed: Flags.integer({ description: `seed of identities and images, 0 to ${MAX_SEED}`, default: DEFAULT_SEED, min: 0, max: MAX_SEED }),
    size: Flags.integer({ description: 'image side in pixels (aligned to the 112x112 ArcFace template, scaled)', default: 112, min: 8, max: 1024 }),
    folds: Flags.integer({ description: 'identity-disjoint folds in pairs.txt (1 to 1000)', default: 10, min: 1, max: 1000 }),
    pairs: Flags.integer({ description: 'same (and as many different) pairs per fold, at most (1 to 1000000)', default: 300, min: 1, max: 1_000_000 }),
    occlusion: Flags.string({ description: 'probability in [0, 1] that a face gets occluding patches', default: '0' }),
    depth: Flags.boolean({ description: 'write depth PNGs', default: true, allowNo: true }),
    force: Flags.boolean({ description: 'replace an existing output folder', default: false }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(DataSynth);
    const occlusion = Number(flags.occlusion);
    if (!(flags.occlusion.trim() !== '' && occlusion >= 0 && occlusion <= 1))
      throw new InputError(`--occlusion must be a number in [0, 1], got '${flags.occlusion}'. Fix: give a probability such as --occlusion 0.2.`);
    validateOutDir(flags.out, '--out'); // before rendering
    const progress = createProgress(progressMode(this.jsonEnabled()));
    progress.start('rendering identities', flags.ids);
    const summary = writeSynthFolder({
      out: flags.out,
      ids: flags.ids,
      perId: flags['per-id'],
      seed: flags.seed,
      size: flags.size,
      folds: flags.folds,
      pairsPerFold: flags.pairs,
      occlusion: { probability: occlusion },
      depth: flags.depth,
      force: flags.force,
      onIdentity: () => progress.tick(),
    });
    progress.stop();
    if (!this.jsonEnabled()) {
      this.log(
        `wrote ${summary.images} faces of ${summary.identities} identities (${summary.size}x${summary.size}) and ${summary.pairs} pairs (${summary.folds} folds x 2 x ${summary.pairsPerFold}) to ${summary.out}`,
      );
    }
    return summary;
  }
}
