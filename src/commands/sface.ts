import { paperCommand } from '../cli/command.js';
import { sfacePaper } from '../papers/sface.js';

export default paperCommand(sfacePaper);
