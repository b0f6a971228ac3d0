/**
 * Data in: readers for spike recordings, writers, binning and subsampling.
 *
 * @module
 */
export {
  readSpikes,
  readSpikesAsync,
  readPhy,
  setFileAccess,
  formatFromName,
  sniffFormat,
  type FileAccess,
} from "./read.js";
export { DEFAULT_BIN_SIZE, type ReadOptions, type SpikeFormat } from "./options.js";
export { loadNWB, useH5wasm, nwbReady, h5wasmModule, type H5wasmLike } from "./nwb.js";
export {
  parseNpyHeader,
  npyBytes,
  readNpyArray,
  checkNpySize,
  MAX_DIMENSION,
  type NpyHeader,
  type NpyArray,
  type NpyScalar,
  type NpyField,
} from "./npy.js";
export { UNIT_COLUMNS, TIME_COLUMNS, classifyColumn, type TimeUnit } from "./columns.js";
export { NpyMagicError, NpyDtypeError, NpyTruncatedError } from "./errors.js";
export { writeSpikes, type WriteFormat } from "./write.js";
export { summarizeSpikes, type SpikeSummary } from "./summary.js";
export { binSpikes, binarize, binCount, type BinOptions } from "./bin.js";
export { subsample, type SubsampleOptions } from "./subsample.js";
export { checkSpikeData, checkSpikeTrains, checkBinned, checkStates } from "./check.js";
export { readStates, readLabels, readDenseTable, type DenseTable } from "./states.js";
export {
  isInputSpec,
  inputSpecOptions,
  trialIntervals,
  recordingFields,
  recordingWarnings,
  type InputSpec,
} from "./recording.js";
export { phySampleRate, PHY_FILES, type PhyFiles } from "./phy.js";
