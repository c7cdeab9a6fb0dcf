// Rendering speed of the synthetic 3DMM faces (issue 5 target: >= 300 faces/s on one core).
// A benchmark, not a test: nothing asserts a speed. One process = one core (the renderer is plain JS).
// Run: npm run build && node benchmarks/synth3dmm/render.mjs [ids] [perId]
// Prints faces/s by wall clock and by this process's CPU time (the CPU figure is the one-core rate
// even when other processes share the machine), for generateFaceSet-style work (identities included)
// and for render() alone, at 112x112 and at 56x56.
import { performance } from 'node:perf_hooks';
import { createFaceGenerator, sampleSeedOf } from '../../dist/data/synth3dmm/index.js';

const ids = Number(process.argv[2] ?? 100);
const perId = Number(process.argv[3] ?? 10);

function measure(label, work) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const faces = work();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(`${label},${faces},${(faces / wall).toFixed(0)},${(faces / cpuSeconds).toFixed(0)},${((1000 * cpuSeconds) / faces).toFixed(2)}`);
}

console.log('case,faces,faces_per_s_wall,faces_per_s_cpu,cpu_ms_per_face');
for (const size of [112, 56]) {
  const warm = createFaceGenerator({ seed: 99, size });
  for (let i = 0; i < 20; i++) warm.identity(10_000 + i).render(i);
  measure(`set ${ids}x${perId} @${size} (identities included)`, () => {
    const gen = createFaceGenerator({ seed: 1, size });
    for (let i = 0; i < ids; i++) {
      const who = gen.identity(i);
      for (let k = 0; k < perId; k++) who.render(sampleSeedOf(1, i, k));
    }
    return ids * perId;
  });
  measure(`render only @${size}`, () => {
    const who = createFaceGenerator({ seed: 2, size }).identity(0);
    for (let k = 0; k < 1000; k++) who.render(k);
    return 1000;
  });
}
