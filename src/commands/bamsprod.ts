import { PaperCommand } from '../harness/cli.js';

export default class Bamsprod extends PaperCommand {
  static override paperId = 'bamsprod';
  static override summary = 'BAMSProd optimizer for binary networks: convex counterexample and BNN convergence on MNIST';
  static override examples = ['<%= config.bin %> bamsprod', '<%= config.bin %> bamsprod --profile smoke --json'];
}
