import { PaperCommand } from '../harness/cli.js';

export default class Mda extends PaperCommand {
  static override paperId = 'mda';
  static override summary = 'Noisy labels: Standard, Co-teaching, JoCoR and MDA under symmetric, pairflip and asymmetric noise';
  static override examples = ['<%= config.bin %> mda', '<%= config.bin %> mda --profile smoke --json'];
}
