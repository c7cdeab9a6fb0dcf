import { paperCommand } from '../cli/command.js';
import { mdaPaper } from '../papers/mda.js';

export default paperCommand(mdaPaper);
