// The one kernel module. Each area re-exports its kernels here; the SDK
// reaches them through typed interfaces in sdk/<area>/.
export * from "./core/index";
export * from "./core/math";
export * from "./random/index";
export * from "./linalg/index";
export * from "./lrg/index";
export * from "./tn/index";
export * from "./graph/index";
export * from "./lif/index";
export * from "./dynamics/index";
