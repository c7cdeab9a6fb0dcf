import { paperCommand } from '../cli/command.js';
import { ddc } from '../papers/ddc.js';

export default paperCommand(ddc);
