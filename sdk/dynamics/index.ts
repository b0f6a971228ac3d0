/**
 * Mesoscale dynamics (MISSION §5): coarse trajectories along an RG flow, their
 * effective Markov dynamics, entropy production, prediction, decoding and
 * participation-ratio dimension.
 *
 * @module
 */
export type * from "./types.js";
export { coarseTrajectories, type CoarseOptions, type CoarseRule } from "./coarse.js";
export { markovDynamics, simulateMarkovChain, type MarkovOptions, type SimulateChainOptions } from "./markov.js";
export {
  entropyProduction,
  entropyProductionFlow,
  type EntropyOptions,
  type EntropyFlowOptions,
  type EntropyProductionStep,
} from "./entropy.js";
export { predict, type PredictOptions } from "./predict.js";
export { predictUnits, type PredictUnitsOptions, type UnitPrediction, type UnitScores } from "./predict-units.js";
export {
  decode,
  decodeFlow,
  decodeAsync,
  decodeFlowAsync,
  type DecodeOptions,
  type DecodeFlowOptions,
  type DecodingStep,
} from "./decode.js";
export { participationRatio } from "./dimension.js";
