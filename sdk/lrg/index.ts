/**
 * Laplacian renormalization (MISSION §3): sdk/lrg/.
 *
 * @module
 */
export { checkFlow } from "./flow.js";
export {
  laplacianRG,
  laplacianRGAsync,
  lrgSlqWarnings,
  AUTO_DENSE_MAX,
  SLQ_FLOW_MAX,
  type LRGOptions,
  type LRGResult,
  type LRGLevel,
  type LRGPeak,
} from "./lrg.js";
export {
  spectralCurves,
  entropyCurve,
  specificHeatCurve,
  tauGrid,
  findPeaks,
  type SpectralCurves,
  type SpectralCurvesOptions,
  type Peak,
} from "./spectrum.js";
export {
  laplacianSpectrum,
  lrgSupernodes,
  heatKernelAction,
  slqSpectralCurves,
  type SupernodeOptions,
  type SlqOptions,
  type SlqResult,
} from "./api.js";
