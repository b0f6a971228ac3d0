/**
 * dgrn: diffusion-guided renormalization of neural systems.
 *
 * The one public API, shared by every build target (sdk/targets/). `await
 * init()` once; every function after it is synchronous and pure.
 *
 * @module
 */
export * from "./errors.js";
export type * from "./types.js";
export { init, getKernel, isReady, ABI_VERSION, type WasmSource, type Platform } from "./kernel/init.js";
export { Kernel, Scope, type KernelInfo, type CoreExports } from "./kernel/kernel.js";
export type { KernelExports } from "./kernel/exports.generated.js";
export type { AllocatorStats } from "./kernel/memory.js";
export { VERSION } from "./version.js";
export * from "./random/index.js";
export * from "./linalg/vector.js";
export * from "./linalg/index.js";
export * from "./lrg/index.js";
export * from "./tn/index.js";
export * from "./graph/index.js";
export * from "./lif/index.js";
export * from "./io/index.js";
export * from "./dynamics/index.js";
export * from "./pipeline/index.js";
// The report (vega, vega-lite) is its own entry point, `dgrn/report` (sdk/report/index.ts).
export * from "./parallel/index.js";
