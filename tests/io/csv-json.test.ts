import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  DgrnFormatError,
  DgrnRangeError,
  DgrnTypeError,
  readSpikes,
  readSpikesAsync,
  throwsCode,
  type BinnedActivity,
  type SpikeTrains,
} from "../helpers/setup.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const spikes = (s: string, o = {}) => readSpikes(bytes(s), o) as SpikeTrains;
const binned = (s: string, o = {}) => readSpikes(bytes(s), o) as BinnedActivity;
const times = (d: SpikeTrains) => d.times.map((t) => Array.from(t));

/** Must throw a DgrnFormatError with this code and row/field. */
function fails(fn: () => unknown, code: string, where: { row?: number; field?: string }): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DgrnFormatError))
      throw new Error(`expected DgrnFormatError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.is(e.code, code, e.message);
    if (where.row !== undefined) assert.is(e.row, where.row, e.message);
    if (where.field !== undefined) assert.is(e.field, where.field, e.message);
    return;
  }
  throw new Error("expected a DgrnFormatError, nothing was thrown");
}

const csv = suite("io: CSV");

csv(
  "events with a header, in seconds; ids are labels (no phantom neuron 1); nNeurons keeps silent ones; duration = last spike",
  () => {
    const d = spikes("neuron,time\n0,0.1\n2,0.15\n0,0.3\n3,0.35\n2,1.25\n");
    assert.is(d.kind, "spikes");
    assert.is(d.nNeurons, 3);
    assert.equal(times(d), [[0.1, 0.3], [0.15, 1.25], [0.35]]);
    assert.is(d.duration, 1.25);
    assert.equal(Array.from(d.neuronIds), [0, 2, 3]);
    const e = spikes("neuron,time\n0,0.1\n2,0.15\n0,0.3\n3,0.35\n2,1.25\n", { nNeurons: 4 });
    assert.equal(times(e), [[0.1, 0.3], [], [0.15, 1.25], [0.35]]);
    assert.equal(Array.from(e.neuronIds), [0, 1, 2, 3]);
    assert.is(d.provenance.source, "csv");
  },
);

csv("events in ms, without a header, with nNeurons and duration", () => {
  const d = spikes("1,100\n0,250\n", { timeUnit: "ms", nNeurons: 3, duration: 2 });
  assert.equal(times(d), [[0.25], [0.1], []]);
  assert.is(d.duration, 2);
});

csv("events: columns found by name in any order, extra columns ignored, tab or semicolon delimiters, CRLF, BOM", () => {
  assert.equal(times(spikes("time,amp,neuron\n0.5,3,1\n0.7,2,0\n")), [[0.7], [0.5]]);
  assert.equal(times(spikes("neuron\ttime\n0\t0.5\n")), [[0.5]]);
  assert.equal(times(spikes("neuron;time\r\n0;0.5\r\n1;0.6\r\n")), [[0.5], [0.6]]);
  assert.equal(times(spikes("\ufeffneuron,time\n0,0.5\n")), [[0.5]]);
  // Sorted per neuron, interleaved across neurons (a time-sorted file) or grouped by neuron.
  assert.equal(times(spikes("neuron,time\n1,0.1\n1,0.2\n0,0.05\n0,0.3\n")), [
    [0.05, 0.3],
    [0.1, 0.2],
  ]);
});

csv("a dense binned matrix: header of ids, or none; bin size from options (default 0.01 s, recorded)", () => {
  const b = binned("5,7,9\n0,1,2\n3,0,0\n", { binSize: 0.02, header: true });
  assert.is(b.kind, "binned");
  assert.is(b.nBins, 2);
  assert.is(b.nNeurons, 3);
  assert.is(b.binSize, 0.02);
  assert.equal(Array.from(b.neuronIds), [5, 7, 9]);
  assert.equal(Array.from(b.counts), [0, 1, 2, 3, 0, 0]);
  const c = binned("0,1,0\n1,1,0\n");
  assert.equal(Array.from(c.neuronIds), [0, 1, 2]);
  assert.is(c.binSize, 0.01);
  assert.is((c.provenance.params as Record<string, unknown>)["binSize"], 0.01);
  // Two columns without a header read as events unless told otherwise.
  assert.is(readSpikes(bytes("0,1\n1,1\n"), { layout: "binned" }).kind, "binned");
  assert.is(readSpikes(bytes("0,1\n1,1\n")).kind, "spikes");
});

csv("blank lines are skipped but still counted in row numbers", () => {
  fails(() => spikes("neuron,time\n0,0.1\n\n0,abc\n"), "ERR_INVALID_FORMAT", { row: 4, field: "time" });
});

csv("malformed input: each its own error naming the row and field", () => {
  fails(() => spikes(""), "ERR_INVALID_FORMAT", { row: 1 });
  fails(() => spikes("neuron,time\n"), "ERR_INVALID_FORMAT", { row: 2 });
  fails(() => spikes("neuron,time\n0,0.1\n1,NaN\n"), "ERR_INVALID_DATA", { row: 3, field: "time" });
  fails(() => spikes("neuron,time\n0,0.1\n1,-0.5\n"), "ERR_INVALID_DATA", { row: 3, field: "time" });
  fails(() => spikes("neuron,time\n0,0.5\n0,0.2\n"), "ERR_INVALID_DATA", { row: 3, field: "time" });
  fails(() => spikes("neuron,time\n0,0.5\n1\n"), "ERR_INVALID_FORMAT", { row: 3 });
  fails(() => spikes("neuron,time\nx,0.5\n"), "ERR_INVALID_FORMAT", { row: 2, field: "neuron" });
  fails(() => spikes("neuron,time\n0,\n"), "ERR_INVALID_FORMAT", { row: 2, field: "time" });
  fails(() => spikes("neuron,time\n-1,0.5\n"), "ERR_INVALID_DATA", { row: 2, field: "neuron" });
  fails(() => spikes("neuron,time\n1.5,0.5\n"), "ERR_INVALID_DATA", { row: 2, field: "neuron" });
  fails(() => spikes("neuron,time\n0,0.5\n3,0.6\n", { nNeurons: 3 }), "ERR_INVALID_DATA", { row: 3, field: "neuron" });
  fails(() => spikes("neuron,time\n0,0.5\n0,Infinity\n"), "ERR_INVALID_DATA", { row: 3, field: "time" });
  fails(() => spikes("neuron,time\n0,0.5\n", { duration: 0.4 }), "ERR_INVALID_DATA", { field: "duration" });
  fails(() => spikes("unit_label,when\n0,0.5\n", { layout: "events" }), "ERR_INVALID_FORMAT", {
    row: 1,
    field: "neuron",
  });
  fails(() => binned("0,1,2\n0,1\n"), "ERR_INVALID_FORMAT", { row: 2 });
  fails(() => binned("0,1,2\n0,1.5,0\n"), "ERR_INVALID_DATA", { row: 2, field: "column 2" });
  fails(() => binned("a,b,c\n0,-1,0\n"), "ERR_INVALID_DATA", { row: 2, field: "b" });
  fails(() => binned("0,1,2\n0,70000,0\n"), "ERR_INVALID_DATA", { row: 2 });
  fails(() => spikes('neuron,time\n0,"0.5\n'), "ERR_INVALID_FORMAT", {});
});

csv("CSV that parses but has no spikes needs duration and nNeurons, then gives empty trains", () => {
  const d = spikes("neuron,time\n", { duration: 1, nNeurons: 2 });
  assert.equal(times(d), [[], []]);
  assert.is(d.duration, 1);
});

csv.run();

const json = suite("io: JSON");

json("spikeTimes in s and ms, with ids and duration", () => {
  const d = spikes(
    JSON.stringify({ spikeTimes: [[0.1, 0.2], [], [0.05]], duration: 1, unit: "s", neuronIds: [10, 11, 12] }),
  );
  assert.equal(times(d), [[0.1, 0.2], [], [0.05]]);
  assert.is(d.duration, 1);
  assert.equal(Array.from(d.neuronIds), [10, 11, 12]);
  const m = spikes(JSON.stringify({ spikeTimes: [[100, 200]], duration: 1000, unit: "ms" }));
  assert.equal(times(m), [[0.1, 0.2]]);
  assert.is(m.duration, 1);
});

json("binned rows, with binSize and booleans", () => {
  const b = binned(
    JSON.stringify({
      binned: [
        [0, 1],
        [true, false],
      ],
      binSize: 0.005,
    }),
  );
  assert.equal(Array.from(b.counts), [0, 1, 1, 0]);
  assert.is(b.binSize, 0.005);
  assert.is(b.nBins, 2);
});

json("malformed JSON: each error names the field (or row for syntax)", () => {
  fails(() => spikes(""), "ERR_INVALID_FORMAT", { row: 1 });
  fails(() => readSpikes(bytes('{\n"spikeTimes": [[0.1,\n]]}'), { format: "json" }), "ERR_INVALID_FORMAT", {});
  fails(() => spikes("[1, 2]", { format: "json" }), "ERR_INVALID_FORMAT", { field: "(document)" });
  fails(() => spikes('{"spikeTimes": [[0.1]], "binned": [[1]]}'), "ERR_INVALID_FORMAT", { field: "spikeTimes" });
  fails(() => spikes('{"spikes": [[0.1]]}'), "ERR_INVALID_FORMAT", { field: "spikes" });
  fails(() => spikes('{"spikeTimes": [[0.1, null]]}'), "ERR_INVALID_DATA", { field: "spikeTimes[0][1]" });
  fails(() => spikes('{"spikeTimes": [[0.1], [0.5, 0.2]]}'), "ERR_INVALID_DATA", { field: "spikeTimes[1][1]" });
  fails(() => spikes('{"spikeTimes": [[-0.1]]}'), "ERR_INVALID_DATA", { field: "spikeTimes[0][0]" });
  fails(() => spikes('{"spikeTimes": [0.1]}'), "ERR_INVALID_FORMAT", { field: "spikeTimes[0]" });
  fails(() => spikes('{"spikeTimes": [[0.1]], "unit": "us"}'), "ERR_INVALID_FORMAT", { field: "unit" });
  fails(() => spikes('{"spikeTimes": [[0.5]], "duration": 0.1}'), "ERR_INVALID_DATA", { field: "duration" });
  fails(() => spikes('{"spikeTimes": [[0.5]], "neuronIds": [1, 2]}'), "ERR_INVALID_DATA", { field: "neuronIds" });
  fails(() => spikes('{"spikeTimes": []}'), "ERR_INVALID_FORMAT", { field: "spikeTimes" });
  fails(() => binned('{"binned": [[0, 1], [1]]}'), "ERR_INVALID_FORMAT", { field: "binned[1]" });
  fails(() => binned('{"binned": [[0, 1], [1, 0.5]]}'), "ERR_INVALID_DATA", { field: "binned[1][1]" });
  fails(() => binned('{"binned": [[0, 1]], "binSize": 0}'), "ERR_INVALID_DATA", { field: "binSize" });
  fails(() => binned('{"binned": []}'), "ERR_INVALID_FORMAT", { field: "binned" });
});

json.run();

const opts = suite("io: readSpikes arguments");

opts("format detection: extension of options.name, then the bytes", () => {
  assert.is(readSpikes(bytes('{"spikeTimes": [[0.1]]}')).provenance.source, "json");
  assert.is(readSpikes(bytes('  \n{"spikeTimes": [[0.1]]}')).provenance.source, "json");
  assert.is(readSpikes(bytes("neuron,time\n0,1\n"), { name: "x.txt" }).provenance.source, "csv");
  assert.is(readSpikes(bytes("neuron,time\n0,1\n"), { name: "rec.csv" }).provenance.name, "rec.csv");
});

opts("ArrayBuffer and Uint8Array subviews are read", () => {
  const all = bytes("XXneuron,time\n0,0.5\n");
  assert.equal(times(readSpikes(all.subarray(2)) as SpikeTrains), [[0.5]]);
  assert.equal(times(readSpikes(bytes("neuron,time\n0,0.5\n").buffer as ArrayBuffer) as SpikeTrains), [[0.5]]);
});

opts("a Blob is read (streamed where FileReader exists)", async () => {
  const d = (await readSpikesAsync(new Blob(["neuron,time\n0,0.5\n1,0.25\n"]), { format: "csv" })) as SpikeTrains;
  assert.equal(times(d), [[0.5], [0.25]]);
});

opts("invalid arguments", () => {
  throwsCode(() => readSpikes(42 as never), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => readSpikes(bytes("0,1\n"), { format: "xls" as never }), DgrnRangeError, "ERR_INVALID_OPTION");
  throwsCode(() => readSpikes(bytes("0,1\n"), { layout: "wide" as never }), DgrnRangeError, "ERR_INVALID_OPTION");
  throwsCode(() => readSpikes(bytes("0,1\n"), { timeUnit: "min" as never }), DgrnRangeError, "ERR_INVALID_OPTION");
  throwsCode(() => readSpikes(bytes("0,1\n"), { header: "yes" as never }), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => readSpikes(bytes("0,1\n"), { delimiter: ",," }), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => readSpikes(bytes("0,1\n"), { binSize: 0 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => readSpikes(bytes("0,1\n"), { duration: -1 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => readSpikes(bytes("0,1\n"), { nNeurons: 0 }), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => readSpikes(bytes("0,1\n"), { name: 3 as never }), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => readSpikes(bytes("0,1\n"), { fmt: "csv" } as never), DgrnRangeError, "ERR_INVALID_OPTION");
});

opts.run();
