export * from "./mps";
export * from "./tree";
export * from "./born";
export * from "./bornTree";
