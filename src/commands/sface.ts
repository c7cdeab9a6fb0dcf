import { PaperCommand } from '../harness/cli.js';

export default class Sface extends PaperCommand {
  static override paperId = 'sface';
  static override summary = 'SFace vs Softmax/CosFace/ArcFace heads under identity label noise: 10-fold verification accuracy';
  static override examples = ['<%= config.bin %> sface', '<%= config.bin %> sface --profile smoke --json'];
}
