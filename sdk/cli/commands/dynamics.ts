import type { Command } from "commander";
import {
  decode,
  entropyProduction,
  init,
  participationRatio,
  predict,
  predictUnits,
  PIPELINE_DEFAULTS,
} from "../../targets/node.js";
import { resolvePredictOptions } from "../../dynamics/predict.js";
import { dflt } from "../defaults.js";
import { readLabelsFile, readStatesFile } from "../states-file.js";
import { int, num, printJson } from "../util.js";

/** predict's defaults (its resolver on no options). */
const PREDICT_DEFAULTS = resolvePredictOptions(undefined);

interface DynamicsFlags {
  states: string;
  labels?: string;
  json?: boolean;
  pseudocount?: number;
  surrogates?: number;
  surrogate?: "shuffle" | "reversible";
  seed?: number;
  markovOrder?: number;
  trainFraction?: number;
  folds?: number;
  l2?: number;
}

/** `dgrn dynamics`: σ with its baseline, prediction, dimension and (with labels) decoding of one trajectory. */
export function register(program: Command): void {
  program
    .command("dynamics")
    .description(
      "mesoscale dynamics of one T × M 0/1 trajectory: entropy production (with surrogate band), prediction, dimension, decoding",
    )
    .requiredOption("--states <file>", "T × M 0/1 matrix, NPY or CSV (rows = time bins)")
    .option("--labels <file>", "one integer label per bin (NPY or CSV) to decode")
    .option("--json", "print one JSON object")
    .option("--pseudocount <a>", "pseudocount for σ (default 0: the plug-in estimate)", num)
    .option(
      "--surrogates <n>",
      `number of surrogates for the σ baseline${dflt(PIPELINE_DEFAULTS.dynamics.surrogates)}`,
      int,
    )
    .option("--surrogate <kind>", "shuffle | reversible (default shuffle)")
    .option("--seed <s>", `seed of surrogates and folds${dflt(PIPELINE_DEFAULTS.seed)}`, int)
    .option("--markov-order <k>", `Markov order for prediction${dflt(PREDICT_DEFAULTS.order)}`, int)
    .option("--train-fraction <f>", `training fraction for prediction${dflt(PREDICT_DEFAULTS.trainFraction)}`, num)
    .option("--folds <k>", `cross-validation folds for decoding${dflt(PIPELINE_DEFAULTS.dynamics.folds)}`, int)
    .option("--l2 <lambda>", "L2 penalty for decoding (default 0.01)", num)
    .action(async (o: DynamicsFlags) => {
      await init();
      const states = await readStatesFile(o.states);
      const labels = o.labels ? await readLabelsFile(o.labels) : null;
      const seed = o.seed ?? PIPELINE_DEFAULTS.seed;
      const sigma = entropyProduction(states, {
        ...(o.pseudocount !== undefined && { pseudocount: o.pseudocount }),
        ...(o.surrogates !== undefined && { surrogates: o.surrogates }),
        ...(o.surrogate !== undefined && { surrogate: o.surrogate }),
        seed,
      });
      const prediction = predict(states, {
        ...(o.markovOrder !== undefined && { order: o.markovOrder }),
        ...(o.trainFraction !== undefined && { trainFraction: o.trainFraction }),
      });
      const units =
        states.T >= 10
          ? predictUnits(states, { ...(o.trainFraction !== undefined && { trainFraction: o.trainFraction }) })
          : null;
      const decoding = labels
        ? decode(states, labels, {
            seed,
            ...(o.folds !== undefined && { folds: o.folds }),
            ...(o.l2 !== undefined && { l2: o.l2 }),
          })
        : null;
      const b = sigma.baseline;
      const out = {
        T: states.T,
        M: states.n,
        nStates: sigma.nStates,
        nTransitions: sigma.nTransitions,
        entropyProduction: sigma.sigma,
        entropyProductionBias: sigma.bias,
        entropyProductionCorrected: sigma.sigmaCorrected,
        entropyProductionBaseline: b
          ? { method: b.method, n: b.n, seed: b.seed, mean: b.mean, sd: b.sd, lo: b.lo, hi: b.hi, pValue: b.pValue }
          : null,
        cycleRank: sigma.cycleRank,
        oneWayFraction: sigma.oneWayFraction,
        entropyProductionSe: sigma.se,
        entropyProductionCi: sigma.ci,
        entropyProductionLowerBound: sigma.lowerBound,
        prediction,
        unitPrediction: units
          ? {
              trivial: units.trivial,
              nTest: units.nTest,
              bits: { markov: units.markov.bits, persistence: units.persistence.bits, marginal: units.marginal.bits },
              accuracy: {
                markov: units.markov.accuracy,
                persistence: units.persistence.accuracy,
                marginal: units.marginal.accuracy,
              },
              balancedAccuracy: {
                markov: units.markov.balancedAccuracy,
                persistence: units.persistence.balancedAccuracy,
                marginal: units.marginal.balancedAccuracy,
              },
            }
          : null,
        participationRatio: participationRatio(states),
        ...(decoding && {
          decoding: {
            accuracy: decoding.accuracy,
            chance: decoding.chance,
            uniformChance: decoding.uniformChance,
            margin: decoding.margin,
            ci: decoding.ci,
            marginCi: decoding.marginCi,
            foldAccuracy: [...decoding.foldAccuracy],
            classes: [...decoding.classes],
            folds: decoding.folds,
            block: decoding.block,
            l2: decoding.l2,
            seed: decoding.seed,
          },
        }),
      };
      if (o.json) {
        printJson(out);
        return;
      }
      const f = (x: number) => x.toPrecision(4);
      const lines = [
        `trajectory   T = ${out.T} bins, M = ${out.M} units, ${out.nStates} observed states`,
        `σ            ${f(sigma.sigma)} nats/bin (bias 2β/N = ${f(sigma.bias)}, corrected ${f(sigma.sigmaCorrected)}` +
          `${sigma.ci ? `, 95 % CI [${f(sigma.ci[0])}, ${f(sigma.ci[1])}], se ${f(sigma.se!)}` : ", too few transitions for a CI"})` +
          `${sigma.lowerBound ? `: a LOWER BOUND (${f(100 * sigma.oneWayFraction)} % one-way transitions left out)` : ""}`,
        b ? `baseline     ${b.method} × ${b.n}: [${f(b.lo)}, ${f(b.hi)}], p = ${f(b.pValue)}` : `baseline     none`,
        `prediction   log-lik/step: Markov ${f(prediction.markov.logLikelihood)}, marginal ${f(prediction.marginal.logLikelihood)}, persistence ${f(prediction.persistence.logLikelihood)}`,
        `             accuracy:     Markov ${f(prediction.markov.accuracy)}, marginal ${f(prediction.marginal.accuracy)}, persistence ${f(prediction.persistence.accuracy)}`,
        ...(units
          ? [
              `per unit     bits/unit/bin: Markov ${f(units.markov.bits)}, persistence ${f(units.persistence.bits)}, marginal ${f(units.marginal.bits)}${units.trivial ? " (trivial: one variable or none changes)" : ""}`,
              `             balanced acc: Markov ${units.markov.balancedAccuracy === null ? "n/a" : f(units.markov.balancedAccuracy)}, persistence ${units.persistence.balancedAccuracy === null ? "n/a" : f(units.persistence.balancedAccuracy)}, marginal ${units.marginal.balancedAccuracy === null ? "n/a" : f(units.marginal.balancedAccuracy)}`,
            ]
          : []),
        `dimension    participation ratio ${f(out.participationRatio)}`,
      ];
      if (decoding) {
        const ci = decoding.ci ? `, 95 % CI [${f(decoding.ci[0])}, ${f(decoding.ci[1])}]` : "";
        lines.push(
          `decoding     accuracy ${f(decoding.accuracy)}${ci} vs chance ${f(decoding.chance)} (${decoding.folds}-fold)`,
        );
      }
      process.stdout.write(lines.join("\n") + "\n");
    });
}
