export * from "./mps";
export * from "./tree";
