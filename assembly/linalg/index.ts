export * from "./blas1";
