import type { Command } from "commander";
import { init, readSpikesAsync, summarizeSpikes, type ReadOptions } from "../../targets/node.js";
import { num, int, printJson } from "../util.js";

interface InspectOpts {
  input: string;
  json?: boolean;
  perNeuron?: boolean;
  format?: ReadOptions["format"];
  layout?: ReadOptions["layout"];
  timeUnit?: ReadOptions["timeUnit"];
  binSize?: number;
  duration?: number;
  nNeurons?: number;
}

/** `dgrn inspect`: what a reader makes of a file. */
export function register(program: Command): void {
  program
    .command("inspect")
    .description("read a spike file (CSV, JSON, NPY, NWB) and report neurons, spikes, duration, first and last spike")
    .requiredOption("--input <FILE>", "the file to read")
    .option("--json", "print one JSON object")
    .option("--per-neuron", "include per-neuron spike counts")
    .option("--format <fmt>", "csv | json | npy | nwb (default: by extension, then by content)")
    .option("--layout <layout>", "CSV/NPY: events | binned | auto")
    .option("--time-unit <unit>", "event times in s or ms")
    .option("--bin-size <s>", "bin width (s) for binned input that does not state one", num)
    .option("--duration <s>", "recording duration (s) for event input", num)
    .option("--n-neurons <N>", "number of neurons for event input", int)
    .action(async (opts: InspectOpts) => {
      await init();
      const ro: ReadOptions = {};
      if (opts.format !== undefined) ro.format = opts.format;
      if (opts.layout !== undefined) ro.layout = opts.layout;
      if (opts.timeUnit !== undefined) ro.timeUnit = opts.timeUnit;
      if (opts.binSize !== undefined) ro.binSize = opts.binSize;
      if (opts.duration !== undefined) ro.duration = opts.duration;
      if (opts.nNeurons !== undefined) ro.nNeurons = opts.nNeurons;
      const data = await readSpikesAsync(opts.input, ro);
      const s = summarizeSpikes(data, { perNeuron: !!opts.perNeuron });
      const out = { input: opts.input, format: data.provenance.source, ...s };
      if (opts.json) {
        printJson(out);
        return;
      }
      const lines = [
        `${opts.input} (${out.format}, ${s.kind}${s.binSize !== undefined ? `, bin ${s.binSize} s` : ""})`,
        `neurons     ${s.neurons}`,
        `spikes      ${s.spikes}`,
        `duration    ${s.duration} s`,
        `firstSpike  ${s.firstSpike ?? "-"}`,
        `lastSpike   ${s.lastSpike ?? "-"}`,
        `meanRate    ${s.meanRate.toFixed(3)} Hz`,
      ];
      if (s.perNeuron) {
        lines.push("neuron  spikes");
        for (const p of s.perNeuron) lines.push(`${String(p.id).padStart(6)}  ${p.spikes}`);
      }
      process.stdout.write(lines.join("\n") + "\n");
    });
}
