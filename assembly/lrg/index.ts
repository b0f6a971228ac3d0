export * from "./spectral";
export * from "./rho";
export * from "./lanczos";
