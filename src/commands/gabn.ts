import { paperCommand } from '../cli/command.js';
import { gabnPaper } from '../papers/gabn.js';

export default paperCommand(gabnPaper);
