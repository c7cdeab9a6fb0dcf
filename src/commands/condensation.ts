import { paperCommand } from '../cli/command.js';
import { condensationPaper } from '../papers/condensation.js';

export default paperCommand(condensationPaper);
