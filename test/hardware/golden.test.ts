// Golden per-layer reports (COMPUTE_REPORT / BANDWIDTH_REPORT) for every built-in network, diffed
// exactly. After an intended model change, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/hardware/golden.test.ts`
// and review the diff of test/golden/ before committing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeConfig, networkTopology, runHardware, type AcceleratorConfig } from '../../src/hardware/index.js';
import { NETWORKS } from '../../src/nets/index.js';

const GOLDEN = join(import.meta.dirname, '..', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

const CASES: { network: string; config: AcceleratorConfig }[] = [
  ...Object.keys(NETWORKS).map((network) => ({ network, config: makeConfig() })),
  { network: 'retinaface-dilated', config: makeConfig({ name: 'traditional', dilation: 'zero-stuffed' }) },
  { network: 'condensation-net', config: makeConfig({ name: 'materialised', virtualFeatureMaps: false }) },
  { network: 'retinaface-ddc', config: makeConfig({ name: 'broadcast', depthwise: 'broadcast' }) },
];

describe('golden per-layer reports', () => {
  it.each(CASES.map((c) => [`${c.network}.${c.config.name}`, c] as const))('%s', (id, { network, config }) => {
    const { files } = runHardware(networkTopology(network), config);
    const dir = join(GOLDEN, id);
    for (const name of ['COMPUTE_REPORT.csv', 'BANDWIDTH_REPORT.csv', 'TOPOLOGY.csv']) {
      const file = join(dir, name);
      if (update) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, files[name]!);
      }
      expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(files[name]).toBe(readFileSync(file, 'utf8'));
    }
  });
});
