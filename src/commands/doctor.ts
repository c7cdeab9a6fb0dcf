import { Flags } from '@oclif/core';
import { BACKEND_CHOICES, type BackendChoice } from '../engine/backend.js';
import { doctorReport, doctorText } from '../engine/doctor.js';
import { CATALOG } from '../data/catalog.js';
import { ReproCommand } from '../cli/command.js';
import { checkedDataDir } from '../core/paths.js';

export default class Doctor extends ReproCommand {
  static override summary = 'Show versions, the backend auto picks, its training kernels, cores and the data directory';
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --backend cpu --json'];
  static override flags = {
    backend: Flags.string({ description: 'backend to inspect', options: [...BACKEND_CHOICES], default: 'auto' }),
    'data-dir': Flags.directory({ description: 'datasets folder (default: $REPRO_DATA_DIR, else ~/.cache/repro/data)' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Doctor);
    const report = await doctorReport(flags.backend as BackendChoice, checkedDataDir(flags['data-dir']), CATALOG);
    if (!this.jsonEnabled()) this.log(doctorText(report));
    return report;
  }
}
