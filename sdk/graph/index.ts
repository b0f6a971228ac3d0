/**
 * The graph stage: infer a directed graph from activity, diffuse it, find its
 * communities, order its nodes; graph I/O and scores.
 *
 * @module
 */
export { readGraph, graphToJSON, type ReadGraphOptions, type GraphJSON } from "./io.js";
export { auroc, adjustedRandIndex, normalizedMutualInfo, modularity, type ModularityOptions } from "./metrics.js";
export { scoreGraph, type GraphScores, type EdgeScoreSet } from "./scores.js";
export { detectCommunities, type CommunityOptions, type Communities } from "./communities.js";
export { refineCommunities, SPLIT_MODULARITY } from "./refine.js";
export {
  inferGraph,
  resolveInferOptions,
  INFER_DEFAULTS,
  type InferOptions,
  type ResolvedInferOptions,
  type InferredGraph,
  type GraphExports,
} from "./infer.js";
export { inferGraphAsync } from "./infer-async.js";
export { latentDiffusion, latentDiffusionAsync, type DiffusionOptions } from "./diffusion.js";
export { communityOrder, fiedlerVector } from "./order.js";
export { checkGraph, toDense, fromDense } from "./graph.js";
