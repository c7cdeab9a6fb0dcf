import { paperCommand } from '../cli/command.js';
import { lrfr } from '../papers/lrfr.js';

export default paperCommand(lrfr);
