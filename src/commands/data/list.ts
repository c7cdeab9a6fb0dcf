import { ReproCommand, runFlags } from '../../cli/command.js';
import { checkedDataDir } from '../../core/paths.js';
import { formatBytes, listDatasets } from '../../data/index.js';

export default class DataList extends ReproCommand {
  static override summary = 'List every dataset: found or missing, path, size, licence and access, how to obtain it';
  static override examples = ['<%= config.bin %> data list', '<%= config.bin %> data list --data-dir /data --json'];
  static override flags = { 'data-dir': runFlags['data-dir'] };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(DataList);
    const dataDir = checkedDataDir(flags['data-dir']);
    const datasets = listDatasets(dataDir);
    if (!this.jsonEnabled()) {
      this.log(`data directory: ${dataDir}`);
      for (const d of datasets) {
        const size = d.bytes === null ? '' : ` ${d.sizeCapped ? '>=' : ''}${formatBytes(d.bytes)}`;
        this.log(`\n${d.name.padEnd(18)} ${d.state.toUpperCase()}${size}  ${d.path}`);
        this.log(`  ${d.title}; used by: ${d.papers.join(', ')}`);
        this.log(`  access: ${d.access}; licence: ${d.licence}`);
        if (d.missingMarkers.length && d.state !== 'missing') this.log(`  missing: ${d.missingMarkers.join(', ')}`);
        if (d.partialDownloads.length) this.log(`  partial download: ${d.partialDownloads.join(', ')} (rerun 'repro data fetch ${d.name}' to resume)`);
        if (d.state !== 'found') this.log(`  obtain: ${d.obtain} (${d.homepage})`);
      }
    }
    return { dataDir, datasets };
  }
}
