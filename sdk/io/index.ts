/**
 * Data in: readers for spike recordings, binning and subsampling.
 *
 * @module
 */
export { binSpikes, binarize, binCount, type BinOptions } from "./bin.js";
export { subsample, type SubsampleOptions } from "./subsample.js";
export { checkSpikeData, checkSpikeTrains, checkBinned, checkStates } from "./check.js";
