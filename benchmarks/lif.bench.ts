// LIF simulator throughput: simulated neuron-seconds per wall second at
// N = 1,000, 5,000, 10,000 and 20,000 (the default network without stimulation; the
// connectivity keeps in-degrees, so synapses grow linearly in N; the row's
// nsPerSynapseSecond is the cost per synapse and simulated second), and Brian 2
// (Debian's python3-brian) on the same synapses (exported from dgrn), model
// and dt in the same run: numpy target and, if it builds, cython.
//
// Both sides are timed without network construction (Brian: code generation,
// compilation and synapse creation happen in an untimed 10 ms run; dgrn: the
// time of a run of one step, connectivity included, is subtracted). Our runs
// are repeated before and after Brian's and the median taken, since the
// machine is shared. Ratio = our throughput / Brian's.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { consume, pythonHas, report, runPython, time } from "./harness.js";
import { init, simulateLIF, type LIFConfig } from "../sdk/targets/node.js";

await init();
const rows: Array<Record<string, string | number | null>> = [];
const brianOk = pythonHas("brian2");
const script = readFileSync("benchmarks/lif_brian.py", "utf8");
const dir = mkdtempSync(join(tmpdir(), "dgrn-lif-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const sizes = [
  { n: 1000, ours: 5, brian: 1 },
  { n: 5000, ours: 2, brian: 0.5 },
  { n: 10000, ours: 1, brian: 0.5 },
  { n: 20000, ours: 0.5, brian: 0.2 },
];
for (const { n, ours, brian } of sizes) {
  const cfg: Partial<LIFConfig> = { n, duration: ours, stimulus: "none" };
  let spikes = 0;
  let synapses = 0;
  // CPU time of this process per call (the machine is shared: CPU time is what load inflates least).
  const cpuMs = (): number => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const measure = (): { total: number; setup: number; cpuTotal: number; cpuSetup: number } => {
    let cpuSetup = 0,
      setupCalls = 0,
      cpuTotal = 0,
      totalCalls = 0;
    const setup = time(
      () => {
        const c0 = cpuMs();
        const r = simulateLIF({ ...cfg, duration: 0.0001 }).spikes.times[0];
        cpuSetup += cpuMs() - c0;
        setupCalls++;
        return r;
      },
      {
        minRuns: 3,
        minMs: 0,
        warmup: 1,
      },
    );
    const total = time(
      () => {
        const c0 = cpuMs();
        const r = simulateLIF(cfg);
        cpuTotal += cpuMs() - c0;
        totalCalls++;
        spikes = r.spikes.times.slice(0, Math.round(0.8 * n)).reduce((a, t) => a + t.length, 0);
        synapses = r.truth.weights.source.length;
        return r.spikes.times[0];
      },
      { minRuns: 2, minMs: 0, warmup: 0 },
    );
    return { total, setup, cpuTotal: cpuTotal / totalCalls, cpuSetup: cpuSetup / setupCalls };
  };
  const runs = [measure()];
  const nE = Math.round(0.8 * n);
  const peers: Record<string, { seconds: number; cpuSeconds: number; rateE: number; build: number } | null> = {};
  if (brianOk) {
    const net = simulateLIF({ ...cfg, duration: 0.0001 });
    const w = net.truth.weights;
    const prefix = join(dir, `net${n}`);
    writeFileSync(`${prefix}.src`, new Uint8Array(w.source.buffer));
    writeFileSync(`${prefix}.tgt`, new Uint8Array(w.target.buffer));
    writeFileSync(`${prefix}.w`, new Uint8Array(w.weight.buffer));
    for (const target of ["numpy", "cython"]) {
      try {
        peers[target] = runPython(
          script,
          JSON.stringify({ config: net.config, nE, prefix, duration: brian, target }),
        ) as { seconds: number; cpuSeconds: number; rateE: number; build: number };
      } catch (e) {
        peers[target] = null;
        console.error(`brian2 ${target} failed: ${(e as Error).message.slice(0, 300)}`);
      }
    }
  }
  runs.push(measure());
  const total = median(runs.map((r) => r.total));
  const run = median(runs.map((r) => r.total - r.setup));
  const ourRate = (n * ours) / (run / 1000);
  const row: Record<string, string | number | null> = {
    case: `lif:n=${n}`,
    simulatedSeconds: ours,
    wallMsTotal: Math.round(total),
    wallMsSetup: Math.round(median(runs.map((r) => r.setup))),
    neuronSecondsPerSecond: Math.round(ourRate),
    synapses,
    // Wall time per simulated second per synapse (ns): flat in N means cost linear in synapses.
    nsPerSynapseSecond: +((run * 1e6) / ours / synapses).toFixed(2),
    // The same from CPU time (median over the repeated measurements).
    cpuNsPerSynapseSecond: +((median(runs.map((r) => r.cpuTotal - r.cpuSetup)) * 1e6) / ours / synapses).toFixed(2),
    rateE: +(spikes / nE / ours).toFixed(2),
    loadAverage1m: +loadavg()[0]!.toFixed(1),
  };
  for (const [target, res] of Object.entries(peers)) {
    const rate = res ? (n * brian) / res.seconds : null;
    row[`brian2_${target}_simulatedSeconds`] = brian;
    row[`brian2_${target}_neuronSecondsPerSecond`] = rate === null ? null : Math.round(rate);
    row[`brian2_${target}_setupMs`] = res ? Math.round(res.build * 1000) : null;
    row[`brian2_${target}_rateE`] = res ? +res.rateE.toFixed(2) : null;
    row[`brian2_${target}_nsPerSynapseSecond`] = res ? +((res.seconds * 1e9) / brian / synapses).toFixed(2) : null;
    row[`brian2_${target}_cpuNsPerSynapseSecond`] = res
      ? +((res.cpuSeconds * 1e9) / brian / synapses).toFixed(2)
      : null;
    row[`ratio_vs_${target}`] = rate === null ? null : +(ourRate / rate).toFixed(2);
  }
  rows.push(row);
  consume(total);
}
rmSync(dir, { recursive: true, force: true });
report("lif", rows);
