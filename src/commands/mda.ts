import { paperCommand } from '../cli/command.js';
import { mda } from '../papers/mda.js';

export default paperCommand(mda);
