import { paperCommand } from '../cli/command.js';
import { cassod } from '../papers/cassod.js';

export default paperCommand(cassod);
