import { paperCommand } from '../cli/command.js';
import { bamsprod } from '../papers/bamsprod.js';

export default paperCommand(bamsprod);
