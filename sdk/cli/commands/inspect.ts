import type { Command } from "commander";
import { init, readSpikesAsync, summarizeSpikes, type ReadOptions } from "../../targets/node.js";
import { num, printJson } from "../util.js";
import { addReaderFlags, readerOptions, type ReaderFlags } from "../reader-flags.js";

interface InspectOpts extends ReaderFlags {
  input: string;
  json?: boolean;
  perNeuron?: boolean;
}

/** `dgrn inspect`: what a reader makes of a file. */
export function register(program: Command): void {
  const cmd = program
    .command("inspect")
    .description("read a spike file (CSV, JSON, NPY, NWB) and report neurons, spikes, duration, first and last spike")
    .requiredOption("--input <FILE>", "the file to read")
    .option("--json", "print one JSON object")
    .option("--per-neuron", "include per-neuron spike counts")
    .option("--bin-size <s>", "bin width (s) for binned input that does not state one", num);
  addReaderFlags(cmd).action(async (opts: InspectOpts) => {
    await init();
    const ro: ReadOptions = await readerOptions(opts);
    if (opts.binSize !== undefined) ro.binSize = opts.binSize;
    const data = await readSpikesAsync(opts.input, ro);
    const s = summarizeSpikes(data, { perNeuron: !!opts.perNeuron });
    const out = {
      input: opts.input,
      format: data.provenance.source,
      ...s,
      neuronIds: Array.from(data.neuronIds),
      ...(data.provenance.params?.["timeUnit"] !== undefined ? { timeUnit: data.provenance.params["timeUnit"] } : {}),
      ...(data.units ? { units: data.units } : {}),
      ...(data.trials ? { trials: { count: data.trials.start.length, labelColumn: data.trials.labelColumn } } : {}),
      ...(data.session ? { session: data.session } : {}),
    };
    if (opts.json) {
      printJson(out);
      return;
    }
    const lines = [
      `${opts.input} (${out.format}, ${s.kind}${s.binSize !== undefined ? `, bin ${s.binSize} s` : ""})`,
      `neurons     ${s.neurons} (ids ${data.nNeurons <= 8 ? Array.from(data.neuronIds).join(", ") : `${Array.from(data.neuronIds.subarray(0, 4)).join(", ")}, …, ${data.neuronIds[data.nNeurons - 1]}`})`,
      `spikes      ${s.spikes}`,
      `duration    ${s.duration} s`,
      `firstSpike  ${s.firstSpike ?? "-"}`,
      `lastSpike   ${s.lastSpike ?? "-"}`,
      `meanRate    ${s.meanRate.toFixed(3)} Hz`,
    ];
    if (out.timeUnit !== undefined) lines.push(`timeUnit    ${out.timeUnit}`);
    if (data.units) lines.push(`units       ${Object.keys(data.units).join(", ")}`);
    if (data.trials) lines.push(`trials      ${data.trials.start.length} (labels from \`${data.trials.labelColumn}\`)`);
    if (data.session?.identifier)
      lines.push(
        `session     ${data.session.identifier}${data.session.startTime ? ` (${data.session.startTime})` : ""}`,
      );
    if (s.perNeuron) {
      lines.push("neuron  spikes");
      for (const p of s.perNeuron) lines.push(`${String(p.id).padStart(6)}  ${p.spikes}`);
    }
    process.stdout.write(lines.join("\n") + "\n");
  });
}
