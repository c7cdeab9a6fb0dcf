// Registers tfjs-core's gradient functions, without which no model trains.
// tfjs-core 4.22 ships them only as ESM files with extensionless relative imports (`from './engine'`) in a
// package that Node treats as CommonJS, so plain Node cannot load them (vitest can: vite rewrites them).
// A narrow module hook fixes exactly that: inside @tensorflow/tfjs-core/dist/ a relative import that fails
// to resolve is retried with `.js` and `/index.js`, and those files load as ESM. The ESM copy of tfjs-core
// shares the engine, the kernel registry and the gradient registry with the CommonJS bundle through
// tfjs's global namespace, so the gradients it registers are the ones tf.grad uses.
import { register } from 'node:module';

const TFJS_CORE_ESM_HOOK = `
const DIST = '/@tensorflow/tfjs-core/dist/';
const isEsmFile = (url) => url.includes(DIST) && url.endsWith('.js') && !/\\/dist\\/tf-core[^/]*\\.js$/.test(url);
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!(context.parentURL ?? '').includes(DIST) || !specifier.startsWith('.')) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try { return await next(specifier + suffix, context); } catch {}
    }
    throw error;
  }
}
export async function load(url, context, next) {
  return isEsmFile(url) ? next(url, { ...context, format: 'module' }) : next(url, context);
}
`;

const globalKey = Symbol.for('repro.tfjsGradientsRegistered');
const registry = globalThis as unknown as Record<symbol, boolean>;

if (!registry[globalKey]) {
  register(`data:text/javascript,${encodeURIComponent(TFJS_CORE_ESM_HOOK)}`);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  registry[globalKey] = true;
}

export {};
