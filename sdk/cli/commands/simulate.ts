import type { Command } from "commander";
import {
  DgrnRangeError,
  ErrorCode,
  init,
  LIF_DEFAULTS,
  simulateLIF,
  summarizeSpikes,
  writeSpikes,
  type LIFConfig,
} from "../../targets/node.js";
import { int, num, printJson, writeFileSet } from "../util.js";

interface SimulateOpts {
  neurons: number;
  clusters: number;
  duration: number;
  seed: number;
  out: string;
  stimulus: string;
  synapses: string;
  json?: boolean;
}

/** `dgrn simulate`: run the clustered LIF network, write its spikes and FILE.truth.json. */
export function register(program: Command): void {
  program
    .command("simulate")
    .description(
      "simulate the clustered E/I LIF network; write spikes (CSV, NPY or JSON by extension) and FILE.truth.json",
    )
    .option("--neurons <N>", "number of neurons (80% excitatory)", int, LIF_DEFAULTS.n)
    .option("--clusters <K>", "number of excitatory clusters", int, LIF_DEFAULTS.clusters)
    .option("--duration <T>", "simulated time, seconds", num, LIF_DEFAULTS.duration)
    .option("--seed <S>", "seed", int, LIF_DEFAULTS.seed)
    .option("--stimulus <mode>", 'cluster stimulation: "auto" or "none"', String(LIF_DEFAULTS.stimulus))
    .option("--synapses <model>", 'synapse model: "current" or "conductance"', LIF_DEFAULTS.synapses)
    .requiredOption("--out <FILE>", "output file: .csv, .npy or .json")
    .option("--json", "print one JSON object")
    .action(async (opts: SimulateOpts) => {
      const ext = /\.(csv|npy|json)$/i.exec(opts.out)?.[1]?.toLowerCase() as "csv" | "npy" | "json" | undefined;
      if (!ext) {
        throw new DgrnRangeError(
          `invalid argument. \`--out\` must end in .csv, .npy or .json. Value: \`${opts.out}\`.`,
          ErrorCode.INVALID_OPTION,
        );
      }
      if (opts.stimulus !== "auto" && opts.stimulus !== "none") {
        throw new DgrnRangeError(
          `invalid argument. \`--stimulus\` must be one of "auto", "none". Value: \`${opts.stimulus}\`.`,
          ErrorCode.INVALID_OPTION,
        );
      }
      await init();
      const config: Partial<LIFConfig> = {
        n: opts.neurons,
        clusters: opts.clusters,
        duration: opts.duration,
        seed: opts.seed,
        stimulus: opts.stimulus,
        synapses: opts.synapses as LIFConfig["synapses"],
      };
      const t0 = performance.now();
      const r = simulateLIF(config);
      const seconds = (performance.now() - t0) / 1000;
      const w = r.truth.weights;
      const truth = {
        clusters: Array.from(r.truth.clusters),
        weights: Array.from(w.source, (s, e) => [s, w.target[e]!, w.weight[e]!]),
        stimulus: r.truth.stimulus,
        duration: r.spikes.duration,
        params: r.config,
        diagnostics: r.diagnostics,
      };
      // one set: both written to temporaries, the truth renamed first, so the spikes never appear without it
      writeFileSet([
        { path: `${opts.out}.truth.json`, data: JSON.stringify(truth) },
        { path: opts.out, data: writeSpikes(r.spikes, ext) },
      ]);
      const sum = summarizeSpikes(r.spikes);
      const result = {
        out: opts.out,
        truth: `${opts.out}.truth.json`,
        neurons: sum.neurons,
        spikes: sum.spikes,
        duration: sum.duration,
        meanRate: sum.meanRate,
        synapses: w.source.length,
        stimulusIntervals: r.truth.stimulus.length,
        seed: r.config.seed,
        seconds,
        diagnostics: r.diagnostics,
      };
      if (opts.json) printJson(result);
      else {
        process.stdout.write(
          `simulated ${sum.neurons} neurons for ${sum.duration} s in ${seconds.toFixed(2)} s: ${sum.spikes} spikes (${sum.meanRate.toFixed(2)} Hz mean), ${result.synapses} synapses\n` +
            `wrote ${opts.out} and ${opts.out}.truth.json\n`,
        );
        const d = r.diagnostics;
        const rates = d.clusterRates;
        if (rates.length > 0) {
          const shown =
            rates.length <= 12
              ? rates.map((x) => x.toFixed(1)).join(" ")
              : `min ${Math.min(...rates).toFixed(2)}, max ${Math.max(...rates).toFixed(2)}`;
          const most =
            d.mostActive.length <= 12
              ? d.mostActive.map((x) => x.toFixed(2)).join(" ")
              : `max ${Math.max(...d.mostActive).toFixed(2)}`;
          process.stdout.write(
            `regime: E ${d.rateE?.toFixed(2) ?? "-"} Hz, I ${d.rateI?.toFixed(2) ?? "-"} Hz; cluster rates (Hz) ${shown}\n` +
              `        most active (fraction of ${d.window * 1000} ms windows) ${most}; ${d.switchesPerSecond.toFixed(2)} switches/s\n`,
          );
        }
        for (const w of d.warnings) process.stderr.write(`warning: ${w}\n`);
      }
    });
}
