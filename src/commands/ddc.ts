import { PaperCommand } from '../harness/cli.js';

export default class Ddc extends PaperCommand {
  static override paperId = 'ddc';
  static override summary = 'DDC layers: compute (-30 %) and size (-20 %) of the face detector, kernel-size flexibility, 5x5 depthwise cost';
  static override examples = ['<%= config.bin %> ddc', '<%= config.bin %> ddc --profile smoke --json'];
}
