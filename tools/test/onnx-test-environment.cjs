// A jest environment for tests that run the face models: full-speed JavaScript and host typed arrays.
//
// 1. Speed. Jest runs each test file in a vm context whose global object is "contextified" (and, in jest 30,
//    wrapped in a Proxy). V8 then resolves every global lookup (Math, Uint8Array, ...) through interceptors, which
//    made the image loops of the face pipeline and the synthetic-frame generators 10-50x slower than in plain Node
//    (a 10-frame synthetic smile: 33 s instead of 0.7 s). Node 20.18+ can create a context with an ordinary global
//    object (vm.constants.DONT_CONTEXTIFY); this environment moves jest's globals onto such a context.
// 2. onnxruntime-node checks `data instanceof Float32Array` against the host realm's constructor, so the sandbox
//    gets the host's typed-array constructors ("A float32 tensor's data must be type of function Float32Array()").
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');

const hostConstructors = {
  ArrayBuffer, SharedArrayBuffer, DataView,
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
};

class OnnxTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    if (!vm.constants || !vm.constants.DONT_CONTEXTIFY) {
      Object.assign(this.global, hostConstructors);
      return;
    }
    const jestGlobal = this.global;
    const fast = vm.createContext(vm.constants.DONT_CONTEXTIFY);
    const builtIns = new Set(Object.getOwnPropertyNames(fast));
    // Everything jest and Node added (process, timers, Buffer, jest's common globals) moves over as is;
    // the new context keeps its own language built-ins apart from the typed arrays.
    for (const name of Object.getOwnPropertyNames(jestGlobal)) {
      if (builtIns.has(name) && !(name in hostConstructors)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(jestGlobal, name);
      if (descriptor) Object.defineProperty(fast, name, { ...descriptor, configurable: true });
    }
    Object.assign(fast, hostConstructors);
    fast.global = fast;
    fast.globalThis = fast;
    fast.Error.stackTraceLimit = 100;
    this.context = fast;
    this.global = fast;
    this.moduleMocker = new this.moduleMocker.constructor(fast);
    this.fakeTimersModern = new this.fakeTimersModern.constructor({ config: config.projectConfig, global: fast });
    this.fakeTimers = new this.fakeTimers.constructor({
      config: config.projectConfig,
      global: fast,
      moduleMocker: this.moduleMocker,
      timerConfig: { idToRef: (id) => ({ id, ref() { return this; }, unref() { return this; } }), refToId: (timer) => timer && timer.id },
    });
  }
}

module.exports = OnnxTestEnvironment;
