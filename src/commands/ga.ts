import { paperCommand } from '../cli/command.js';
import { gaPaper } from '../papers/ga.js';

export default paperCommand(gaPaper);
