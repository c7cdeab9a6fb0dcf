import { PaperCommand } from '../harness/cli.js';

export default class Condensation extends PaperCommand {
  static override paperId = 'condensation';
  static override summary = 'Condensation-Net: bandwidth saved by virtual feature maps (26.5 %), extra memory (0.2 %) and gates (1.0 %)';
  static override examples = ['<%= config.bin %> condensation', '<%= config.bin %> condensation --profile smoke --json'];
}
