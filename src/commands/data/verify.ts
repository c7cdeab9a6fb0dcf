import { Args, Flags } from '@oclif/core';
import { ReproCommand, runFlags } from '../../cli/command.js';
import { checkedDataDir } from '../../core/paths.js';
import { datasetNames, verifyDataset } from '../../data/index.js';

export default class DataVerify extends ReproCommand {
  static override summary = 'Verify a dataset: checksums where the publisher gives them, structural checks otherwise';
  static override description =
    'Counts against the published ones (an empty set fails), shapes, every pair or list entry resolvable, the headers of sample images (--deep: every image decoded fully). Exit 2 when a file is corrupt or a check fails, 3 when the dataset is missing.';
  static override examples = ['<%= config.bin %> data verify lfw', '<%= config.bin %> data verify cifar10 --deep --json'];
  static override args = { name: Args.string({ description: 'dataset name (see repro data list)', required: true, options: datasetNames() }) };
  static override flags = {
    'data-dir': runFlags['data-dir'],
    deep: Flags.boolean({ description: 'decode every image fully (all pixels) instead of the headers of a sample', default: false }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(DataVerify);
    const report = await verifyDataset(args.name, checkedDataDir(flags['data-dir']), { deep: flags.deep });
    if (!this.jsonEnabled()) {
      this.log(`${report.name}: ${report.path}`);
      for (const c of report.checks) this.log(`  ${c.status.padEnd(4)} ${c.check}: ${c.detail}`);
      this.log(report.status === 'ok' ? 'verified' : 'verified, with warnings (counts differ from the published ones)');
    }
    return report;
  }
}
