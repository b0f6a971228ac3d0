import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync } from "node:fs";
import expected from "../fixtures/io/npy_expected.json" with { type: "json" };
import {
  DgrnFormatError,
  NpyDtypeError,
  NpyMagicError,
  NpyTruncatedError,
  npyBytes,
  parseNpyHeader,
  readGraph,
  readNpyArray,
  readSpikes,
  type BinnedActivity,
  type SpikeTrains,
} from "../helpers/setup.js";

const dir = "tests/fixtures/io/npy";
const file = (name: string) => new Uint8Array(readFileSync(`${dir}/${name}`));

const test = suite("io: NPY (fixtures written by numpy, make_npy.py)");

test("every dtype × order of a binned (bins × neurons) array reads to the same counts", () => {
  const names = Object.keys(expected).filter((n) => n.startsWith("binned_"));
  assert.ok(names.length >= 19, `${names.length} fixtures`);
  for (const name of names) {
    const want = (expected as unknown as Record<string, { counts: number[][] }>)[name]!.counts;
    const b = readSpikes(file(name)) as BinnedActivity;
    assert.is(b.kind, "binned", name);
    assert.is(b.nBins, want.length, name);
    assert.is(b.nNeurons, want[0]!.length, name);
    assert.equal(Array.from(b.counts), want.flat(), name);
    assert.is(b.provenance.source, "npy");
  }
});

test("events: structured records (any field order, f4 times), (M, 2) pairs in C and F order, interleaved 1-D", () => {
  for (const name of Object.keys(expected).filter((n) => n.startsWith("events_"))) {
    const want = (expected as unknown as Record<string, { times: Record<string, number[]> }>)[name]!.times;
    const opts = name.startsWith("events_pairs") ? { layout: "events" as const } : {};
    const s = readSpikes(file(name), opts) as SpikeTrains;
    assert.is(s.kind, "spikes", name);
    const ids = Object.keys(want).filter((k) => want[k]!.length > 0);
    assert.equal(Array.from(s.neuronIds), ids.map(Number), name);
    assert.equal(
      s.times.map((t) => Array.from(t)),
      ids.map((k) => want[k]),
      name,
    );
  }
});

test("times in ms with timeUnit", () => {
  const s = readSpikes(file("events_structured.npy"), { timeUnit: "ms" }) as SpikeTrains;
  assert.equal(Array.from(s.neuronIds), [0, 2, 3]);
  assert.equal(Array.from(s.times[1]!), [0.15 / 1000, 1.25 / 1000]);
});

test("the header parser reads versions 1.0 and 2.0, dtype, order and shape", () => {
  const h1 = parseNpyHeader(file("binned_be_i8_F.npy"));
  assert.equal(h1.version, [1, 0]);
  assert.equal(h1.shape, [3, 4]);
  assert.is(h1.fortranOrder, true);
  assert.is(h1.scalar?.descr, ">i8");
  assert.is(h1.dataOffset % 64, 0);
  const h2 = parseNpyHeader(file("binned_v2.npy"));
  assert.equal(h2.version, [2, 0]);
  assert.is(h2.dataOffset % 64, 0);
});

test("bad magic, unsupported dtype and truncated data are three distinct typed errors", () => {
  const cases: Array<[string, abstract new (...a: never[]) => Error, string]> = [
    ["bad_magic.npy", NpyMagicError, "magic"],
    ["bad_dtype_complex.npy", NpyDtypeError, "descr"],
    ["bad_dtype_str.npy", NpyDtypeError, "descr"],
    ["bad_truncated.npy", NpyTruncatedError, "data"],
  ];
  for (const [name, cls, field] of cases) {
    try {
      readSpikes(file(name), { format: "npy" });
      assert.unreachable(name);
    } catch (e) {
      assert.instance(e, cls, `${name}: ${(e as Error).message}`);
      assert.instance(e, DgrnFormatError);
      assert.is((e as DgrnFormatError).code, "ERR_INVALID_FORMAT");
      assert.is((e as DgrnFormatError).field, field, name);
      for (const other of [NpyMagicError, NpyDtypeError, NpyTruncatedError].filter((c) => c !== cls))
        assert.not.instance(e, other);
    }
  }
  const t = (() => {
    try {
      readSpikes(file("bad_truncated.npy"));
    } catch (e) {
      return e as NpyTruncatedError;
    }
  })()!;
  assert.is(t.expected - t.actual, 9);
  // A header cut short is also truncation.
  const head = file("binned_le_f8_C.npy").subarray(0, 40);
  try {
    readSpikes(head, { format: "npy" });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NpyTruncatedError);
  }
});

test("content errors name the element", () => {
  const cases: Array<[string, string, string, object?]> = [
    ["bad_3d.npy", "ERR_INVALID_FORMAT", "shape"],
    ["bad_fraction.npy", "ERR_INVALID_DATA", "[0, 0]"],
    ["bad_negative_time.npy", "ERR_INVALID_DATA", "[1].time"],
    ["events_structured.npy", "ERR_INVALID_DATA", "[3].neuron", { nNeurons: 3 }],
  ];
  for (const [name, code, field, opts] of cases) {
    try {
      readSpikes(file(name), opts ?? {});
      assert.unreachable(name);
    } catch (e) {
      assert.instance(e, DgrnFormatError, `${name}: ${(e as Error).message}`);
      assert.is((e as DgrnFormatError).code, code, name);
      assert.is((e as DgrnFormatError).field, field, `${name}: ${(e as Error).message}`);
    }
  }
});

test("npyBytes writes what numpy writes (same header bytes for the same array)", () => {
  const ref = file("binned_le_i4_C.npy");
  const data = new Int32Array([0, 1, 2, 0, 3, 0, 1, 1, 0, 0, 0, 5]);
  const ours = npyBytes("'<i4'", [3, 4], new Uint8Array(data.buffer));
  assert.equal(Array.from(ours), Array.from(ref));
});

test("every fixture file is covered", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".npy"));
  const bad = files.filter((f) => f.startsWith("bad_") || f.startsWith("bomb_"));
  const values = files.filter((f) => f.startsWith("values_"));
  assert.is(files.length - bad.length - values.length, Object.keys(expected).length - 1);
  assert.is(values.length, Object.keys((expected as unknown as { values: object }).values).length);
});

const vals = (expected as unknown as { values: Record<string, number[]> }).values;

test("readNpyArray: every integer width at its extremes (8-byte up to ±2^53 exactly), float16 incl. subnormals, 3-D Fortran order", () => {
  assert.ok(Object.keys(vals).length >= 13);
  for (const [name, want] of Object.entries(vals)) {
    const a = readNpyArray(file(name));
    assert.equal(Array.from(a.toFloat64()), want, name);
  }
  assert.is(vals["values_le_u8.npy"]![3], 2 ** 53);
});

test("8-byte integers beyond ±2^53 are a typed error naming the element, not a rounded number", () => {
  for (const [name, field] of [
    ["bad_u8_beyond_2p53.npy", "[0]"],
    ["bad_i8_beyond_2p53.npy", "[0]"],
  ]) {
    try {
      readNpyArray(file(name!)).toFloat64();
      assert.unreachable(name);
    } catch (e) {
      assert.instance(e, DgrnFormatError, (e as Error).message);
      assert.is((e as DgrnFormatError).code, "ERR_INVALID_DATA");
      assert.is((e as DgrnFormatError).field, field);
      assert.match((e as Error).message, /9007199254740993/);
    }
  }
});

test("a header that implies an impossible size fails at once, before any allocation or loop", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["bomb_2p40_0.npy", "ERR_OUT_OF_RANGE", /1099511627776/],
    ["bomb_0_2p40.npy", "ERR_OUT_OF_RANGE", /1099511627776/],
    ["bomb_1e9_0.npy", "ERR_OUT_OF_RANGE", /dimension of 0/],
    ["bomb_2p20_2p20.npy", "ERR_OUT_OF_MEMORY", /TiB/],
    ["bomb_1d_2p35.npy", "ERR_OUT_OF_RANGE", /34359738368/],
  ];
  for (const [name, code, re] of cases) {
    for (const read of [
      () => readSpikes(file(name)),
      () => readNpyArray(file(name)),
      () => readGraph(file(name), { format: "npy" }),
    ]) {
      const t0 = performance.now();
      try {
        read();
        assert.unreachable(name);
      } catch (e) {
        assert.instance(e, DgrnFormatError, `${name}: ${(e as Error).message}`);
        assert.is((e as DgrnFormatError).code, code, `${name}: ${(e as Error).message}`);
        assert.match((e as Error).message, re, name);
      }
      assert.ok(performance.now() - t0 < 1000, name);
    }
  }
  // a limit the caller states
  try {
    readSpikes(file("binned_le_f8_C.npy"), { maxBytes: 16 });
    assert.unreachable();
  } catch (e) {
    assert.is((e as DgrnFormatError).code, "ERR_OUT_OF_MEMORY");
  }
});

test("orientation: neurons × bins needs transpose; a wide matrix is an error naming the likely cause", () => {
  const T = 3;
  const n = 300;
  const data = new Uint8Array(T * n);
  for (let k = 0; k < data.length; k++) data[k] = k % 3;
  const wide = npyBytes("'|u1'", [T, n], data);
  try {
    readSpikes(wide);
    assert.unreachable();
  } catch (e) {
    assert.is((e as DgrnFormatError).code, "ERR_INVALID_DATA");
    assert.match((e as Error).message, /neurons × bins.*--transpose/);
  }
  const b = readSpikes(wide, { transpose: true }) as BinnedActivity;
  assert.is(b.nNeurons, T);
  assert.is(b.nBins, n);
  for (let t = 0; t < n; t++) for (let i = 0; i < T; i++) assert.is(b.counts[t * T + i], data[i * n + t]);
  assert.is((readSpikes(wide, { transpose: false }) as BinnedActivity).nNeurons, n);
});

test("a 1-D uint64 array (Kilosort's spike_times.npy) and an (M, 2) array are refused as ambiguous, not misread", () => {
  const st = npyBytes("'<u8'", [4], new Uint8Array(new BigUint64Array([1n, 2n, 3n, 4n]).buffer));
  try {
    readSpikes(st);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /Kilosort/);
  }
  try {
    readSpikes(file("events_pairs_C.npy"));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /ambiguous/);
  }
});

test.run();
