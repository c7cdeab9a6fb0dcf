// The one import of tfjs for the whole project. The `@tensorflow/tfjs` bundle is used rather than
// tfjs-core alone because, in Node, only the bundle registers the gradients and chained ops
// (tfjs-core's own registration files are ESM without file extensions, which Node cannot load).
import * as tf from '@tensorflow/tfjs';

// PROD silences tfjs's console notices (the "install tfjs-node" banner on every run); errors still throw.
tf.env().set('PROD', true);

export { tf };
