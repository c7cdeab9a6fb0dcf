import { PaperCommand } from '../harness/cli.js';

export default class Cassod extends PaperCommand {
  static override paperId = 'cassod';
  static override summary = 'CASSOD-Net: weight ratio of cascaded 2x2 dilated filters (47 %), hardware speed-up (2.78x), context-module cycles';
  static override examples = ['<%= config.bin %> cassod', '<%= config.bin %> cassod --profile smoke --json'];
}
