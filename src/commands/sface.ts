import { paperCommand } from '../cli/command.js';
import { sface } from '../papers/sface.js';

export default paperCommand(sface);
