/**
 * DTNR: tensor networks of the joint probability of binary states (MISSION
 * §4). Tensor trains by TT-SVD on the sample representation, tree tensor
 * networks along an RG flow, and exact small-n measures.
 *
 * @module
 */
export {
  tensorTrain,
  ttEvaluate,
  ttDense,
  ttInner,
  ttTotal,
  ttNormalize,
  ttSample,
  ttMarginal,
  ttSummary,
  type TensorTrain,
  type TensorTrainOptions,
  type TrainSummary,
} from "./tt.js";
export { empiricalDense, klDivergence, totalVariation, shannonEntropy, KL_FLOOR, DENSE_MAX_SITES } from "./samples.js";
export type { TnExports } from "./kernel.js";
export {
  treeTensorNetwork,
  ttnDense,
  ttnEvaluate,
  type TreeTensorNetwork,
  type TreeNode,
  type TreeLayer,
  type TreeOptions,
} from "./tree.js";
export {
  bornMachine,
  bornLogProb,
  bornSample,
  bornMarginal,
  bornProduct,
  bornMergedGradient,
  bornEntanglement,
  type BornMachine,
  type BornOptions,
  type BornSweep,
} from "./born.js";
export {
  bornTree,
  bornTreeShape,
  bornTreeProduct,
  bornTreeLogProb,
  bornTreeSample,
  bornTreeMarginal,
  bornTreeMergedGradient,
  defaultNodeBits,
  type BornTree,
  type BornTreeShape,
  type BornTreeOptions,
  type BornTreeSweep,
} from "./bornTree.js";
export { productModel, chowLiuTree, bernoulliMixture, type BaselineModel, type MixtureOptions } from "./baselines.js";
export {
  fitBorn,
  fitBornAsync,
  crossValidateBorn,
  crossValidateBornAsync,
  type BornCrossValidation,
  type BornFold,
  modelEntropy,
  blockBootstrap,
  mixLog2,
  LOG2_FLOOR,
  MIX_WEIGHTS,
  type BornFit,
  type FitOptions,
  type FitTaskOptions,
  type NllTriple,
  type BaselineResult,
} from "./fit.js";
export {
  tnAcrossScales,
  tnAcrossScalesAsync,
  subFlow,
  type TnScale,
  type TnScalesResult,
  type TnScalesOptions,
} from "./scales.js";
