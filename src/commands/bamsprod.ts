import { paperCommand } from '../cli/command.js';
import { bamsprodPaper } from '../papers/bamsprod.js';

export default paperCommand(bamsprodPaper);
