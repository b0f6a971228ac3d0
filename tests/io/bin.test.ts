import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  DgrnRangeError,
  DgrnTypeError,
  binCount,
  binSpikes,
  binarize,
  subsample,
  throwsCode,
  type BinnedActivity,
  type SpikeTrains,
} from "../helpers/setup.js";

const trains = (times: number[][], duration: number, ids?: number[]): SpikeTrains => ({
  kind: "spikes",
  nNeurons: times.length,
  neuronIds: Int32Array.from(ids ?? times.map((_, i) => i)),
  times: times.map((t) => Float64Array.from(t)),
  duration,
  provenance: { source: "array" },
});

const test = suite("io: binSpikes and binarize");

test("counts per bin [t·Δ, (t+1)·Δ); a spike on an edge counts in the later bin; one at the end in the last", () => {
  const s = trains([[0, 0.005, 0.01, 0.029], [0.03], []], 0.03);
  const b = binSpikes(s, { binSize: 0.01 });
  assert.is(b.nBins, 3);
  assert.is(b.nNeurons, 3);
  // bins × neurons, row-major
  assert.equal(Array.from(b.counts), [2, 0, 0, 1, 0, 0, 1, 1, 0]);
  assert.is(b.binSize, 0.01);
  assert.equal(b.neuronIds, s.neuronIds);
});

test("edges computed from multiples of the bin size land where written (no 0.03/0.01 = 2.9999… misplacement)", () => {
  const t = Array.from({ length: 100 }, (_, k) => (k * 3) / 100); // 0, 0.03, 0.06, … exactly as decimals
  const b = binSpikes(trains([t], 3), { binSize: 0.01 });
  for (let k = 0; k < 100; k++) assert.is(b.counts[3 * k], 1, `spike ${k} at ${t[k]}`);
  assert.is(binCount(20, 0.01), 2000);
  assert.is(binCount(1.005, 0.01), 101);
});

test("a partial last bin counts", () => {
  assert.is(binSpikes(trains([[0.024]], 0.025), { binSize: 0.01 }).nBins, 3);
});

test("re-binning binned activity by a whole factor sums counts (partial last group kept)", () => {
  const b: BinnedActivity = {
    kind: "binned",
    nBins: 5,
    nNeurons: 2,
    binSize: 0.01,
    counts: Uint16Array.from([1, 0, 2, 1, 0, 0, 3, 3, 1, 0]),
    neuronIds: Int32Array.of(4, 9),
    provenance: { source: "array" },
  };
  const r = binSpikes(b, { binSize: 0.02 });
  assert.is(r.nBins, 3);
  assert.ok(Math.abs(r.binSize - 0.02) < 1e-15);
  assert.equal(Array.from(r.counts), [3, 1, 3, 3, 1, 0]);
  throwsCode(() => binSpikes(b, { binSize: 0.015 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => binSpikes(b, { binSize: 0.005 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
});

test("binarize: x = [count > 0], ids kept, input untouched", () => {
  const b = binSpikes(trains([[0.001, 0.002], [0.015]], 0.02), { binSize: 0.01 });
  const before = b.counts.slice();
  const x = binarize(b);
  assert.is(x.T, 2);
  assert.is(x.n, 2);
  assert.equal(Array.from(x.data), [1, 0, 0, 1]);
  assert.equal(x.neuronIds, b.neuronIds);
  assert.equal(b.counts, before);
});

test("invalid arguments", () => {
  const s = trains([[0.1]], 1);
  throwsCode(() => binSpikes({} as never, { binSize: 0.01 }), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => binSpikes(s, { binSize: 0 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => binSpikes(s, { binSize: Number.NaN }), DgrnRangeError, "ERR_NOT_FINITE");
  throwsCode(() => binSpikes(s, undefined as never), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => binSpikes(s, { binSize: 0.1, size: 1 } as never), DgrnRangeError, "ERR_INVALID_OPTION");
  throwsCode(() => binSpikes(trains([[0.5, 0.2]], 1), { binSize: 0.1 }), DgrnRangeError, "ERR_INVALID_DATA");
  throwsCode(() => binSpikes(trains([[2]], 1), { binSize: 0.1 }), DgrnRangeError, "ERR_INVALID_DATA");
  throwsCode(() => binSpikes(trains([Array(70000).fill(0.5)], 1), { binSize: 1 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => binarize({ kind: "binned" } as never), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => binarize(null as never), DgrnTypeError, "ERR_INVALID_TYPE");
});

test.run();

const sub = suite("io: subsample");

const ten = trains(
  Array.from({ length: 10 }, (_, i) => [i / 10]),
  1,
  Array.from({ length: 10 }, (_, i) => 100 + i),
);

sub("a seeded fraction: round(f·n) neurons in input order, ids carried, same seed same choice", () => {
  const a = subsample(ten, { fraction: 0.5, seed: 7 });
  const b = subsample(ten, { fraction: 0.5, seed: 7 });
  assert.is(a.nNeurons, 5);
  assert.equal(a.neuronIds, b.neuronIds);
  for (let k = 1; k < 5; k++) assert.ok(a.neuronIds[k]! > a.neuronIds[k - 1]!);
  for (let k = 0; k < 5; k++) assert.equal(Array.from(a.times[k]!), [(a.neuronIds[k]! - 100) / 10]);
  const seeds = new Set(
    Array.from({ length: 20 }, (_, s) => subsample(ten, { fraction: 0.5, seed: s }).neuronIds.join(",")),
  );
  assert.ok(seeds.size > 10, `${seeds.size} distinct choices in 20 seeds`);
  assert.is(subsample(ten, { fraction: 0.01 }).nNeurons, 1);
  assert.is(subsample(ten, { fraction: 1 }).nNeurons, 10);
});

sub("each neuron is chosen with probability f (uniform over 2,000 seeds)", () => {
  const hits = new Float64Array(10);
  for (let s = 0; s < 2000; s++)
    for (const id of subsample(ten, { fraction: 0.3, seed: s }).neuronIds) hits[id - 100]!++;
  for (const h of hits) assert.ok(Math.abs(h / 2000 - 0.3) < 0.05, `${h / 2000}`);
});

sub("an explicit list of ids, for every kind, in input order", () => {
  const a = subsample(ten, { neurons: [107, 101] });
  assert.equal(Array.from(a.neuronIds), [101, 107]);
  const b = binSpikes(ten, { binSize: 0.1 });
  const bs = subsample(b, { neurons: [109, 100] });
  assert.is(bs.kind, "binned");
  assert.equal(Array.from(bs.neuronIds), [100, 109]);
  for (let t = 0; t < b.nBins; t++) {
    assert.is(bs.counts[t * 2], b.counts[t * 10]);
    assert.is(bs.counts[t * 2 + 1], b.counts[t * 10 + 9]);
  }
  const x = binarize(b);
  const xs = subsample(x, { neurons: [105] });
  assert.equal(
    Array.from(xs.data),
    Array.from({ length: x.T }, (_, t) => x.data[t * 10 + 5]),
  );
  assert.equal(Array.from(xs.neuronIds!), [105]);
  // States without ids: positions are the ids.
  const plain = { T: 1, n: 3, data: Uint8Array.of(1, 0, 1) };
  assert.equal(Array.from(subsample(plain, { neurons: [2] }).data), [1]);
});

sub("invalid arguments", () => {
  throwsCode(() => subsample(ten, {}), DgrnRangeError, "ERR_INVALID_OPTION");
  throwsCode(() => subsample(ten, { fraction: 0.5, neurons: [100] }), DgrnRangeError, "ERR_INVALID_OPTION");
  throwsCode(() => subsample(ten, { fraction: 0 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => subsample(ten, { fraction: 1.5 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => subsample(ten, { fraction: "half" as never }), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => subsample(ten, { fraction: 0.5, seed: -1 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => subsample(ten, { neurons: "1,2" as never }), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => subsample(ten, { neurons: [5] }), DgrnRangeError, "ERR_INVALID_DATA");
  throwsCode(() => subsample(ten, { neurons: [101, 101] }), DgrnRangeError, "ERR_INVALID_DATA");
  throwsCode(() => subsample(ten, { neurons: [100.5] }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => subsample(ten, { fraction: 0.5, frac: 1 } as never), DgrnRangeError, "ERR_INVALID_OPTION");
  throwsCode(() => subsample(42 as never, { fraction: 0.5 }), DgrnTypeError, "ERR_INVALID_TYPE");
});

sub.run();
