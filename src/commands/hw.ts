import { Flags } from '@oclif/core';
import { gateCount, memorySizes } from '../hardware/area.js';
import { ACCELERATOR_CONFIG_SCHEMA, DEFAULT_CONFIG } from '../hardware/config.js';
import { loadConfig, loadTopology, networkTopology, runHardware } from '../hardware/files.js';
import { reportNumber } from '../hardware/reports.js';
import { ReproCommand } from '../cli/command.js';
import { InputError } from '../core/errors.js';
import { validateOutDir } from '../core/paths.js';
import { writeFilesAtomically } from '../harness/results.js';
import { NETWORKS } from '../nets/zoo.js';

export default class Hw extends ReproCommand {
  static override summary = 'Cost a network on the parametric accelerator: cycles, DRAM traffic, area';
  static override description =
    'Reads a SCALE-Sim topology CSV (optionally with Dilation, Groups, Pad Height, Pad Width, Type, Fuse Next columns) or a built-in ' +
    'network, and a JSON configuration (defaults: repro hw --print-defaults; schema: --print-schema). Writes COMPUTE_REPORT.csv, ' +
    'BANDWIDTH_REPORT.csv and TOPOLOGY.csv to --out.';
  static override examples = [
    '<%= config.bin %> hw --network retinaface-cassod',
    '<%= config.bin %> hw --topology my_net.csv --config accel.json --out reports/',
    '<%= config.bin %> hw --print-defaults > accel.json',
  ];
  static override flags = {
    topology: Flags.file({ description: 'SCALE-Sim topology CSV', exclusive: ['network'] }),
    network: Flags.string({ description: 'a built-in network instead of a topology', options: Object.keys(NETWORKS), exclusive: ['topology'] }),
    config: Flags.file({ description: 'accelerator configuration JSON (omitted fields take the defaults)' }),
    out: Flags.directory({ description: 'folder for COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv and TOPOLOGY.csv' }),
    'print-schema': Flags.boolean({ description: 'print the configuration JSON Schema and exit' }),
    'print-defaults': Flags.boolean({ description: 'print the default configuration and exit' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Hw);
    if (flags['print-schema']) return this.printJson(ACCELERATOR_CONFIG_SCHEMA);
    if (flags['print-defaults']) return this.printJson(DEFAULT_CONFIG);
    if (!flags.topology && !flags.network) throw new InputError('give --topology FILE or --network NAME (see repro hw --help).');
    const out = flags.out === undefined ? undefined : validateOutDir(flags.out, '--out');
    const rows = flags.topology ? loadTopology(flags.topology) : networkTopology(flags.network!);
    const cfg = loadConfig(flags.config);
    const { cost, files } = runHardware(rows, cfg);
    if (out) writeFilesAtomically(out, files);
    const memory = memorySizes(cfg, rows);
    const gates = gateCount(cfg);
    const seconds = cost.totalCycles / (cfg.clockMHz * 1e6);
    const summary = {
      source: flags.topology ?? flags.network,
      config: cfg.name,
      layers: rows.length,
      macs: cost.macs,
      computeCycles: cost.computeCycles,
      totalCycles: cost.totalCycles,
      milliseconds: seconds * 1e3,
      dramBytes: cost.dramBytes,
      maxStoredElements: cost.maxStoredElements,
      gates: gates.total,
      sramBytes: memory.total,
    };
    if (!this.jsonEnabled()) {
      this.log(files['COMPUTE_REPORT.csv']!.trimEnd());
      this.log('');
      for (const [k, v] of Object.entries(summary)) this.log(`${k}: ${typeof v === 'number' ? reportNumber(v) : v}`);
      if (flags.out) this.log(`reports: ${flags.out}`);
    }
    return { ...summary, layerCosts: cost.layers };
  }

  private printJson(value: unknown): unknown {
    if (!this.jsonEnabled()) this.log(JSON.stringify(value, null, 2));
    return value;
  }
}
