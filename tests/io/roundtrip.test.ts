import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { makeNwb } from "../helpers/nwb.js";
import {
  DgrnIOError,
  binSpikes,
  readSpikes,
  readSpikesAsync,
  simulateLIF,
  summarizeSpikes,
  throwsCode,
  writeSpikes,
  type BinnedActivity,
  type SpikeTrains,
} from "../helpers/setup.js";

const sim = simulateLIF({ n: 200, clusters: 4, duration: 2, seed: 3 });
const s = sim.spikes;
const total = s.times.reduce((a, t) => a + t.length, 0);
const binned = binSpikes(s, { binSize: 0.01 });

function sameSpikes(a: SpikeTrains, b: SpikeTrains, what: string): void {
  assert.is(a.nNeurons, b.nNeurons, what);
  for (let i = 0; i < a.nNeurons; i++) assert.equal(a.times[i], b.times[i], `${what}: neuron ${i}`);
  assert.equal(binSpikes(a, { binSize: 0.01 }).counts, binned.counts, `${what}: binned counts`);
}

const test = suite("io: simulator → file → reader round trips");

test("the simulation has spikes in most neurons (so the round trips test something)", () => {
  assert.ok(total > 1000, `${total}`);
  assert.ok(s.times.filter((t) => t.length > 0).length > 150);
});

test("CSV, JSON and NPY events give back identical spike times and counts", () => {
  for (const f of ["csv", "json", "npy"] as const) {
    const back = readSpikes(writeSpikes(s, f), { nNeurons: 200, duration: s.duration, format: f }) as SpikeTrains;
    assert.is(back.kind, "spikes");
    sameSpikes(back, s, f);
    assert.is(back.duration, s.duration);
  }
  // JSON carries duration and ids itself.
  const j = readSpikes(writeSpikes(s, "json")) as SpikeTrains;
  assert.is(j.duration, s.duration);
  assert.equal(j.neuronIds, s.neuronIds);
});

test("NWB (written with h5wasm from the simulation) gives back identical spike times", () => {
  const bytes = makeNwb({ units: s.times.map((t) => Array.from(t)) });
  const back = readSpikes(bytes, { duration: s.duration }) as SpikeTrains;
  sameSpikes(back, s, "nwb");
});

test("binned CSV, JSON and NPY give back identical counts and bin size", () => {
  for (const f of ["csv", "json", "npy"] as const) {
    const back = readSpikes(writeSpikes(binned, f), { format: f, binSize: 0.01 }) as BinnedActivity;
    assert.is(back.kind, "binned", f);
    assert.is(back.nBins, binned.nBins, f);
    assert.is(back.nNeurons, 200, f);
    assert.equal(back.counts, binned.counts, f);
    assert.is(back.binSize, 0.01);
    assert.equal(back.neuronIds, binned.neuronIds, f);
  }
});

test("paths (Node): readSpikes reads a file; readSpikesAsync streams CSV; a missing file is an IO error", async () => {
  mkdirSync("tests/output/io", { recursive: true });
  for (const f of ["csv", "json", "npy"] as const) writeFileSync(`tests/output/io/sim.${f}`, writeSpikes(s, f));
  writeFileSync("tests/output/io/sim.nwb", makeNwb({ units: s.times.map((t) => Array.from(t)) }));
  for (const f of ["csv", "json", "npy"] as const) {
    const a = readSpikes(`tests/output/io/sim.${f}`, { nNeurons: 200 }) as SpikeTrains;
    sameSpikes(a, s, `path ${f}`);
    assert.is(a.provenance.name, `tests/output/io/sim.${f}`);
    const b = (await readSpikesAsync(`tests/output/io/sim.${f}`, { nNeurons: 200 })) as SpikeTrains;
    sameSpikes(b, s, `async path ${f}`);
  }
  const n = (await readSpikesAsync("tests/output/io/sim.nwb")) as SpikeTrains;
  sameSpikes(n, s, "async path nwb");
  throwsCode(() => readSpikes("tests/output/io/missing.csv"), DgrnIOError, "ERR_IO");
  try {
    await readSpikesAsync("tests/output/io/missing.csv");
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DgrnIOError);
  }
  // Streaming reports the same row-numbered errors.
  writeFileSync("tests/output/io/bad.csv", "neuron,time\n0,0.1\n0,0.05\n");
  try {
    await readSpikesAsync("tests/output/io/bad.csv");
    assert.unreachable();
  } catch (e) {
    assert.is((e as { row?: number }).row, 3, (e as Error).message);
  }
});

test("summarizeSpikes counts what was read", () => {
  const sum = summarizeSpikes(s, { perNeuron: true });
  assert.is(sum.neurons, 200);
  assert.is(sum.spikes, total);
  assert.is(sum.duration, 2);
  assert.is(sum.firstSpike, Math.min(...s.times.filter((t) => t.length).map((t) => t[0]!)));
  assert.is(sum.lastSpike, Math.max(...s.times.filter((t) => t.length).map((t) => t.at(-1)!)));
  assert.equal(
    sum.perNeuron!.map((p) => p.spikes),
    s.times.map((t) => t.length),
  );
  const b = summarizeSpikes(binned);
  assert.is(b.spikes, total);
  assert.is(b.kind, "binned");
  assert.is(b.perNeuron, undefined);
});

test.run();
