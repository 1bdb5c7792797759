// The one place that loads TensorFlow.js: core, every gradient, and the cpu and wasm backends.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node build registers no gradients; training needs them (tfjs-node/tfjs import the same file)
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
// the package is marked side-effect free, so a bundler may drop its self-registration: register it here if needed
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

// production mode: no per-op NaN checks and no "install tfjs-node" banner from the cpu backend
tf.enableProdMode();
if (!tf.findBackendFactory('cpu')) tf.registerBackend('cpu', () => new MathBackendCPU(), 1);

export { tf, setWasmPaths };
