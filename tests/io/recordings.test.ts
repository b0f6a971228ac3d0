// Recordings as a lab has them (fixtures by numpy + h5py: tests/fixtures/io/make_recordings.py):
// every format and header variant reads to the exact spike count and unit ids; every misread of
// issue 14 is a correct result or a one-line typed error; the pipeline runs on each.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import exp from "../fixtures/io/rec_expected.json" with { type: "json" };
import {
  DgrnFormatError,
  readSpikes,
  readSpikesAsync,
  readPhy,
  runPipeline,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  binSpikes,
  recordingWarnings,
  type SpikeData,
  type SpikeTrains,
  type BinnedActivity,
} from "../helpers/setup.js";

const R = "tests/fixtures/io/rec";
const test = suite("io: recordings (Phy, CSV variants, binned NPY, NWB; make_recordings.py)");

function checkExact(d: SpikeData, what: string): void {
  assert.is(d.kind, "spikes", what);
  const s = d as SpikeTrains;
  assert.equal(Array.from(s.neuronIds), exp.ids, `${what}: ids are the file's labels, not 0..max`);
  assert.is(s.nNeurons, 24, what);
  assert.is(
    s.times.reduce((a, t) => a + t.length, 0),
    exp.nSpikes,
    what,
  );
  s.neuronIds.forEach((id, i) =>
    assert.is(s.times[i]!.length, (exp.counts as Record<string, number>)[String(id)], `${what}: unit ${id}`),
  );
  assert.ok(Math.abs(s.duration - exp.duration) < 1e-9, `${what}: duration ${s.duration}`);
}

function fails(fn: () => unknown, code: string, re: RegExp, what: string): DgrnFormatError {
  try {
    fn();
  } catch (e) {
    assert.instance(e, DgrnFormatError, `${what}: ${(e as Error)?.message}`);
    assert.is((e as DgrnFormatError).code, code, `${what}: ${(e as Error).message}`);
    assert.match((e as Error).message, re, what);
    assert.not.match((e as Error).message, /\n/, `${what}: one line`);
    return e as DgrnFormatError;
  }
  throw new Error(`${what}: expected an error`);
}

async function failsAsync(fn: () => Promise<unknown>, code: string, re: RegExp, what: string): Promise<void> {
  let err: unknown = null;
  await fn().catch((e) => (err = e));
  fails(
    () => {
      if (err) throw err;
    },
    code,
    re,
    what,
  );
}

test("a Kilosort/Phy folder: uint64 samples, uint32 sparse cluster ids, params.py rate, group and KSLabel; --units good", () => {
  const d = readSpikes(`${R}/phy`) as SpikeTrains;
  checkExact(d, "phy");
  assert.is(d.provenance.source, "phy");
  assert.is(d.provenance.params?.["sampleRate"], 30000);
  assert.equal(d.units?.["group"], exp.quality);
  const good = readSpikes(`${R}/phy`, { units: "good" });
  assert.equal(Array.from(good.neuronIds), exp.good);
  assert.ok((good.units?.["group"] ?? []).every((g) => g === "good"));
  // the same folder from bytes (a browser's dropped files)
  const b = readPhy({
    spikeTimes: new Uint8Array(readFileSync(`${R}/phy/spike_times.npy`)),
    spikeClusters: new Uint8Array(readFileSync(`${R}/phy/spike_clusters.npy`)),
    params: readFileSync(`${R}/phy/params.py`, "utf8"),
  });
  checkExact(b, "phy bytes");
  fails(
    () =>
      readPhy({
        spikeTimes: new Uint8Array(readFileSync(`${R}/phy/spike_times.npy`)),
        spikeClusters: new Uint8Array(readFileSync(`${R}/phy/spike_clusters.npy`)),
      }),
    "ERR_INVALID_DATA",
    /sample rate/,
    "no params.py",
  );
  fails(() => readSpikes(`${R}/phy/spike_times.npy`), "ERR_INVALID_DATA", /Kilosort.*folder/, "spike_times.npy alone");
  fails(
    () => readSpikes(`${R}/phy`, { units: [28, 99999] }),
    "ERR_INVALID_DATA",
    /99999 not in the recording/,
    "unknown unit id",
  );
});

test("every CSV header variant reads to the same spikes (unit synonyms; time suffixes set the unit), sync and streamed", async () => {
  for (const name of exp.csv) {
    const o = name === "samples.csv" ? { sampleRate: 30000 } : {};
    checkExact(readSpikes(`${R}/${name}`, o), name);
    checkExact(await readSpikesAsync(`${R}/${name}`, o), `${name} (streamed)`);
  }
  const ms = readSpikes(`${R}/neuron_time_ms.csv`);
  assert.is(ms.provenance.params?.["timeUnit"], "ms");
  fails(() => readSpikes(`${R}/samples.csv`), "ERR_INVALID_DATA", /sample rate/, "samples without a rate");
});

test("misreads of the issue: ms under `time`, hex ids, ambiguous header, explicit binned on an events header, two-line semicolon file", async () => {
  fails(
    () => readSpikes(`${R}/bad_time_ms_unlabelled.csv`),
    "ERR_INVALID_DATA",
    /implausible.*--time-unit ms/,
    "ms read as s",
  );
  checkExact(readSpikes(`${R}/bad_time_ms_unlabelled.csv`, { timeUnit: "ms" }), "with --time-unit ms");
  fails(() => readSpikes(`${R}/bad_hex.csv`), "ERR_INVALID_FORMAT", /not a decimal number/, "hex id");
  fails(
    () => readSpikes(`${R}/bad_ambiguous.csv`),
    "ERR_INVALID_FORMAT",
    /Accepted names: unit column: neuron, neuron_id/,
    "ambiguous",
  );
  fails(
    () => readSpikes(`${R}/neuron_time_ms.csv`, { layout: "binned" }),
    "ERR_INVALID_FORMAT",
    /spike events, not a binned matrix/,
    "never binned",
  );
  for (const s of [readSpikes(`${R}/two_lines.csv`), await readSpikesAsync(`${R}/two_lines.csv`)]) {
    assert.equal(Array.from(s.neuronIds), [7]);
    assert.equal(Array.from((s as SpikeTrains).times[0]!), [0.25]);
  }
  // explicit column names win over synonyms
  const enc = new TextEncoder().encode("cell_label,when_ms,spike_time\n5,100,9\n6,250,9\n");
  const d = readSpikes(enc, { neuronColumn: "cell_label", timeColumn: "when_ms", timeUnit: "ms" }) as SpikeTrains;
  assert.equal(
    d.times.map((t) => Array.from(t)),
    [[0.1], [0.25]],
  );
  assert.equal(Array.from(d.neuronIds), [5, 6]);
});

test("binned NPY both ways round: bins × neurons as is, neurons × bins is an error naming --transpose, and reads with it", () => {
  const a = readSpikes(`${R}/binned_bins_x_neurons.npy`) as BinnedActivity;
  fails(
    () => readSpikes(`${R}/binned_neurons_x_bins.npy`),
    "ERR_INVALID_DATA",
    /neurons × bins.*--transpose/,
    "wrong way round",
  );
  const b = readSpikes(`${R}/binned_neurons_x_bins.npy`, { transpose: true }) as BinnedActivity;
  for (const x of [a, b]) {
    assert.is(x.nNeurons, 24);
    assert.is(x.nBins, exp.nBins);
    assert.is(
      x.counts.reduce((s, c) => s + c, 0),
      exp.binnedTotal,
    );
  }
  assert.equal(Array.from(a.counts), Array.from(b.counts));
});

test("NWB: units quality / electrode location, trials with a label column, session metadata; duplicate ids and HDF5 failures are one line", async () => {
  const d = await readSpikesAsync(`${R}/session.nwb`);
  checkExact(d, "nwb");
  assert.equal(d.units?.["quality"], exp.quality);
  assert.equal(d.units?.["location"], exp.location);
  assert.is(d.trials?.labelColumn, "stimulus");
  assert.equal(d.trials?.label, exp.trials.stimulus);
  assert.equal(d.trials?.start, exp.trials.start);
  assert.equal(d.session, {
    identifier: "dgrn-fixture-session-14",
    description: "24 units, 3 clusters, 3 stimuli (fixture)",
    startTime: "2026-01-02T03:04:05+00:00",
  });
  const o = await readSpikesAsync(`${R}/session.nwb`, { trialLabel: "orientation" });
  assert.equal(o.trials?.label, exp.trials.orientation);
  assert.equal(Array.from((await readSpikesAsync(`${R}/session.nwb`, { units: "good" })).neuronIds), exp.good);
  await failsAsync(
    () => readSpikesAsync(`${R}/session.nwb`, { trialLabel: "nope" }),
    "ERR_INVALID_DATA",
    /no such trial column/,
    "bad trial label",
  );
  await failsAsync(
    () => readSpikesAsync(`${R}/bad_duplicate_ids.nwb`),
    "ERR_INVALID_DATA",
    /duplicate unit id/,
    "duplicate ids",
  );
  await failsAsync(() => readSpikesAsync(`${R}/bad_lzf.nwb`), "ERR_INVALID_FORMAT", /unsupported filter lzf/, "lzf");
  await failsAsync(() => readSpikesAsync(`${R}/bad_truncated.nwb`), "ERR_INVALID_FORMAT", /truncated/, "truncated");
  await failsAsync(
    () => readSpikesAsync(`${R}/bad_not_hdf5.nwb`),
    "ERR_INVALID_FORMAT",
    /not an HDF5 file/,
    "not HDF5",
  );
  fails(
    () => readSpikes(new TextEncoder().encode('{"spikeTimes": [[0.1], [0.2]], "neuronIds": [4, 4]}')),
    "ERR_INVALID_DATA",
    /duplicate unit id/,
    "JSON duplicate ids",
  );
});

test("a session starting at 3,000 s: warned about, and --t-start makes the bins start there", async () => {
  const late = readSpikes(`${R}/late_start.csv`) as SpikeTrains;
  assert.ok(Math.abs(late.duration - (3000 + exp.duration)) < 1e-6);
  assert.match(recordingWarnings(late).join(), /first spike is at 3000\.008 s: 99 %.*--t-start 3000/);
  const w = readSpikes(`${R}/late_start.csv`, { tStart: 3000 }) as SpikeTrains;
  assert.is(
    w.times.reduce((a, t) => a + t.length, 0),
    exp.nSpikes,
  );
  assert.ok(Math.abs(w.duration - exp.duration) < 1e-6);
  assert.equal(recordingWarnings(w), []);
  const n = (await readSpikesAsync(`${R}/session_3000s.nwb`, { tStart: 3000, tStop: 3020 })) as SpikeTrains;
  assert.is(n.duration, 20);
  assert.ok(n.trials!.start.every((t) => t >= 0 && t < 20));
  const b = binSpikes(n, { binSize: 0.01 });
  assert.is(b.nBins, 2000);
});

function communities(d: SpikeData): number[] {
  const g = inferGraph(d.kind === "binned" ? d : binSpikes(d, { binSize: 0.01 }), { seed: 1 });
  const h = latentDiffusion({ n: g.n, directed: true, source: g.source, target: g.target, weight: g.weight }, {});
  return Array.from(detectCommunities(h, { seed: 1 }).labels);
}

test("a CSV with sparse ids gives the same communities as the same data in NWB (and as the Phy folder), and they are the 3 clusters", async () => {
  const csv = communities(readSpikes(`${R}/unit_id_spike_time.csv`));
  const nwb = communities(await readSpikesAsync(`${R}/session.nwb`));
  const phy = communities(readSpikes(`${R}/phy`));
  assert.equal(csv, nwb);
  assert.equal(csv, phy);
  assert.is(new Set(csv).size, 3);
  // same community ⇔ same planted cluster
  for (let i = 0; i < 24; i++)
    for (let j = 0; j < 24; j++) assert.is(csv[i] === csv[j], exp.clusters[i] === exp.clusters[j]);
});

const small = {
  tn: { tol: 1e-3, maxBond: 4, sweep: [2] },
  dynamics: { rule: "any" as const, decodeRule: "fraction" as const, surrogates: 0, folds: 2, decode: true },
};
const units = exp.ids.slice(0, 6).concat(exp.ids.slice(8, 11), exp.ids.slice(16, 19));

test("the pipeline on each format (12 units, 12 s): completes, all units observed, ids and metadata kept, trials used for decoding", async () => {
  const inputs: Array<[string, SpikeData]> = [
    ["phy", readSpikes(`${R}/phy`, { units, tStop: 12 })],
    ["csv", readSpikes(`${R}/cluster_t.csv`, { units, tStop: 12 })],
    [
      "npy",
      readSpikes(`${R}/binned_neurons_x_bins.npy`, {
        transpose: true,
        units: units.map((u) => exp.ids.indexOf(u)),
        tStop: 12,
      }),
    ],
    ["late", readSpikes(`${R}/late_start.csv`, { units, tStart: 3000, tStop: 3012 })],
    ["nwb", await readSpikesAsync(`${R}/session.nwb`, { units, tStop: 12 })],
  ];
  for (const [what, input] of inputs) {
    const { results } = runPipeline({ input, ...small });
    assert.is(results.data.nObserved, 12, what);
    assert.is(results.config["fraction"], 1, what);
    assert.equal(results.data.observed, what === "npy" ? units.map((u) => exp.ids.indexOf(u)) : units, what);
    assert.is(results.data.duration, 12, what);
    if (what === "phy")
      assert.equal(
        results.data.units?.["group"],
        units.map((u) => exp.quality[exp.ids.indexOf(u)]),
      );
    if (what === "nwb") {
      assert.equal(results.data.trials, { count: 5, labelColumn: "stimulus", classes: ["left", "right", "up"] });
      assert.ok(
        results.dynamics.scales.every((s) => typeof s["decodingAccuracy"] === "number"),
        "decoding on trial labels",
      );
      assert.is(results.data.session?.identifier, "dgrn-fixture-session-14");
    } else
      assert.ok(
        results.dynamics.scales.every((s) => s["decodingAccuracy"] === undefined),
        what,
      );
    // no unit is silent or a phantom (the readers' part); weak-result warnings on 12 units × 12 s are the pipeline's to give
    assert.equal(
      results.warnings.filter((w) => /never spiked|saturated|active in ≥|phantom/.test(w)),
      [],
      what,
    );
  }
  const half = runPipeline({ input: inputs[0]![1], fraction: 0.5, ...small });
  assert.is(half.results.data.nObserved, 6);
});

test("dgrn run --input with reader flags and a config `input: { file, … }`: observes all units and says so", () => {
  const out = mkdtempSync(join(tmpdir(), "dgrn-rec-"));
  const cfg = join(out, "config.json");
  writeFileSync(
    cfg,
    JSON.stringify({ ...small, input: { file: join(process.cwd(), R, "cluster_t.csv"), units, tStop: 8 } }),
  );
  const a = spawnSync(process.execPath, ["bin/dgrn.js", "run", "--config", cfg, "--out", join(out, "a")], {
    encoding: "utf8",
  });
  assert.is(a.status, 0, a.stderr);
  assert.match(a.stderr, /observed all 12 units of cluster_t\.csv/);
  const r = JSON.parse(readFileSync(join(out, "a", "results.json"), "utf8"));
  assert.equal(r.data.observed, units);
  assert.is(r.data.duration, 8);
  const bad = spawnSync(
    process.execPath,
    ["bin/dgrn.js", "run", "--input", `${R}/bad_time_ms_unlabelled.csv`, "--out", join(out, "b")],
    { encoding: "utf8" },
  );
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /^dgrn: .*implausible.*\[ERR_INVALID_DATA\]\n$/);
  const insp = spawnSync(
    process.execPath,
    ["bin/dgrn.js", "inspect", "--input", `${R}/phy`, "--units", "good", "--json"],
    { encoding: "utf8" },
  );
  assert.is(insp.status, 0, insp.stderr);
  assert.equal(JSON.parse(insp.stdout).neuronIds, exp.good);
});

test.run();
