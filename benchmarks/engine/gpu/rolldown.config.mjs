// Bundles entry.mjs (the `repro bench engine` code path from dist/) into ONE file for the GPU kit.
// Pure-JS dependencies are inlined; `webgpu` stays external (it loads dawn.node beside its index.js).
// Packages resolve through "main" first, as Node resolves them (the tfjs packages' "module" builds are
// browser-oriented ESM), so the bundle runs the same files that `node bin/run.js bench engine` runs.
// Output path: env GPU_KIT_BUNDLE (prepare.sh sets it).
import { fileURLToPath } from 'node:url';

export default {
  input: fileURLToPath(new URL('./entry.mjs', import.meta.url)),
  platform: 'node',
  external: ['webgpu'],
  resolve: { mainFields: ['main', 'module'] },
  // CommonJS code inlined into an ES module has no __dirname/__filename: tfjs-backend-wasm's Emscripten
  // loader reads them (its default wasm folder). Node >= 20.11 gives the bundle's own in import.meta.
  transform: { define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' } },
  output: {
    file: process.env.GPU_KIT_BUNDLE ?? 'engine.mjs',
    format: 'esm',
    codeSplitting: false,
  },
};
