// Jest runs each test file in its own vm context, with its own Float32Array, Uint8Array, ... constructors.
// onnxruntime-node's native binding creates and checks typed arrays with the host's constructors, so a tensor
// built inside the sandbox fails with "A float32 tensor's data must be type of function Float32Array()".
// Exposing the host's typed-array constructors in the sandbox makes both sides agree.
'use strict';

const { TestEnvironment } = require('jest-environment-node');

const SHARED_CONSTRUCTORS = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED_CONSTRUCTORS) {
      if (typeof globalThis[name] === 'function') this.global[name] = globalThis[name];
    }
  }
}

module.exports = OnnxTestEnvironment;
