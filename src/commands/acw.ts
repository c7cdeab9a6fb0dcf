import { paperCommand } from '../cli/command.js';
import { acwPaper } from '../papers/acw.js';

export default paperCommand(acwPaper);
