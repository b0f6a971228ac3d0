export * from "./spectral";
export * from "./rho";
export * from "./lanczos";
export * from "./block";
