import { paperCommand } from '../cli/command.js';
import { cassodPaper } from '../papers/cassod.js';

export default paperCommand(cassodPaper);
