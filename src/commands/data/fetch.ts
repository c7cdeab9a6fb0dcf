import { Args, Flags } from '@oclif/core';
import { ReproCommand, runFlags } from '../../cli/command.js';
import { checkedDataDir } from '../../core/paths.js';
import { createProgress, progressMode } from '../../core/progress.js';
import { datasetNames, fetchDataset, getDataset } from '../../data/index.js';

export default class DataFetch extends ReproCommand {
  static override summary = 'Download a dataset that has public addresses: resumable, checksum-checked, placed atomically';
  static override description =
    "An interrupted download resumes (HTTP Range) from <data-dir>/.partial/. Datasets by request or licence cannot be fetched; 'repro data list' says how to obtain them.";
  static override examples = [
    '<%= config.bin %> data fetch cifar10',
    '<%= config.bin %> data fetch lfw --data-dir /data',
    '<%= config.bin %> data fetch mnist --mirror http://mirror.local/mnist',
  ];
  static override args = { name: Args.string({ description: 'dataset name (see repro data list)', required: true, options: datasetNames() }) };
  static override flags = {
    'data-dir': runFlags['data-dir'],
    mirror: Flags.string({ description: 'base URL serving the same file names instead of the catalogue addresses' }),
    force: Flags.boolean({ description: 'download again even when the files are in place', default: false }),
    verify: Flags.boolean({ description: 'verify the dataset after the download (--no-verify skips it)', default: true, allowNo: true }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(DataFetch);
    const report = await fetchDataset(getDataset(args.name), checkedDataDir(flags['data-dir'], true), {
      progress: createProgress(progressMode(this.jsonEnabled())),
      mirror: flags.mirror,
      force: flags.force,
      verify: flags.verify ? {} : false,
    });
    if (!this.jsonEnabled()) {
      for (const f of report.files)
        this.log(`${f.file}: ${f.status === 'present' ? 'already in place' : `downloaded${f.resumedFrom ? ` (resumed at byte ${f.resumedFrom})` : ''}`}`);
      if (report.verification) this.log(`verified: ${report.verification.status}${report.verification.status === 'warn' ? ' (see repro data verify)' : ''}`);
    }
    return report;
  }
}
