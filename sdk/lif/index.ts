/**
 * The clustered E/I leaky integrate-and-fire simulator: ground truth for the pipeline.
 *
 * @module
 */
export { LIF_DEFAULTS, lifConfig, type LIFConfig } from "./config.js";
export {
  simulateLIF,
  lifClusters,
  connectionScaling,
  inhibitoryClusteringOf,
  clusterBoostOf,
  type LIFResult,
  type LIFClassValues,
} from "./simulate.js";
export { lifDiagnostics, type LIFDiagnostics, type LIFDiagnosticsOptions } from "./diagnostics.js";
export { stimulusLabels } from "./labels.js";
