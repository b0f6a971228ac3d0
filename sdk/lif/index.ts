/**
 * The clustered E/I leaky integrate-and-fire simulator: ground truth for the pipeline.
 *
 * @module
 */
export { LIF_DEFAULTS, lifConfig, type LIFConfig } from "./config.js";
export { simulateLIF, lifClusters, type LIFResult } from "./simulate.js";
export { stimulusLabels } from "./labels.js";
