// Costing a whole network takes milliseconds: times shape inference + lowering + cycle/traffic model +
// both per-layer reports for every built-in network. A benchmark, not a test: nothing asserts a speed.
// Run: npm run build && node benchmarks/hardware/cost-networks.mjs [repeats]
import { performance } from 'node:perf_hooks';
import { makeConfig, NETWORKS, lowerNetwork, resolveNetwork, runHardware } from '../../dist/index.js';

const repeats = Number(process.argv[2] ?? 200);
const config = makeConfig();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log('network,layers,median_ms,p90_ms,repeats');
for (const [name, entry] of Object.entries(NETWORKS)) {
  const times = [];
  let layers = 0;
  for (let i = 0; i < repeats + 10; i++) {
    const t0 = performance.now();
    const rows = lowerNetwork(resolveNetwork(entry.build()));
    runHardware(rows, config);
    const dt = performance.now() - t0;
    layers = rows.length;
    if (i >= 10) times.push(dt); // the first 10 runs warm the JIT up
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${name},${layers},${median(times).toFixed(3)},${sorted[Math.floor(0.9 * sorted.length)].toFixed(3)},${repeats}`);
}
