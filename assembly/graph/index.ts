// Graph inference kernels: lagged cross-correlation and its surrogates, the GLM fit.
export * from "./xcorr";
export * from "./glm";
