import { paperCommand } from '../cli/command.js';
import { condensation } from '../papers/condensation.js';

export default paperCommand(condensation);
