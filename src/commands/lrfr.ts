import { paperCommand } from '../cli/command.js';
import { lrfrPaper } from '../papers/lrfr.js';

export default paperCommand(lrfrPaper);
