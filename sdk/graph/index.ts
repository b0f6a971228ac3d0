/**
 * The graph stage: infer a directed graph from activity, diffuse it, find its
 * communities, order its nodes; graph I/O and scores.
 *
 * @module
 */
export * from "./io.js";
export * from "./metrics.js";
export * from "./communities.js";
export * from "./infer.js";
export { checkGraph, toDense, fromDense } from "./graph.js";
export * from "./diffusion.js";
export * from "./order.js";
