import { paperCommand } from '../cli/command.js';
import { ddcPaper } from '../papers/ddc.js';

export default paperCommand(ddcPaper);
