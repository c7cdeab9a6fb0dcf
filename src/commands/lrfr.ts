import { PaperCommand } from '../harness/cli.js';

export default class Lrfr extends PaperCommand {
  static override paperId = 'lrfr';
  static override summary = 'Multi-Resolution Augmentation + LogExp metric loss: cross-resolution verification at 8-112 px';
  static override examples = ['<%= config.bin %> lrfr', '<%= config.bin %> lrfr --profile smoke --json'];
}
