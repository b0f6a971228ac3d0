import { suite } from "uvu";
import * as assert from "uvu/assert";
import { makeNwb } from "../helpers/nwb.js";
import { DgrnFormatError, nwbReady, readSpikes, readSpikesAsync, type SpikeTrains } from "../helpers/setup.js";

const times = (d: SpikeTrains) => d.times.map((t) => Array.from(t));

function fails(bytes: Uint8Array, code: string, field: string | null, opts = {}): void {
  try {
    readSpikes(bytes, { format: "nwb", ...opts });
  } catch (e) {
    assert.instance(e, DgrnFormatError, (e as Error).message);
    assert.is((e as DgrnFormatError).code, code, (e as Error).message);
    if (field !== null) assert.is((e as DgrnFormatError).field, field, (e as Error).message);
    else assert.ok((e as DgrnFormatError).field, "names a field");
    return;
  }
  assert.unreachable("expected a DgrnFormatError");
}

const test = suite("io: NWB (files built with h5wasm)");

test("ragged units/spike_times + spike_times_index, with units that have no spikes (first, middle, last)", () => {
  assert.ok(nwbReady());
  const units = [[], [0.1, 0.5, 0.9], [], [0.25], []];
  const d = readSpikes(makeNwb({ units, ids: [10, 11, 12, 13, 14] })) as SpikeTrains;
  assert.is(d.kind, "spikes");
  assert.is(d.nNeurons, 5);
  assert.equal(times(d), units);
  assert.equal(Array.from(d.neuronIds), [10, 11, 12, 13, 14]);
  assert.is(d.duration, 0.9);
  assert.is(d.provenance.source, "nwb");
});

test("without units/id the ids are positions; duration from options", () => {
  const d = readSpikes(makeNwb({ units: [[0.1], [0.2]], ids: null }), { duration: 3 }) as SpikeTrains;
  assert.equal(Array.from(d.neuronIds), [0, 1]);
  assert.is(d.duration, 3);
});

test("readSpikesAsync loads h5wasm itself and reads the same", async () => {
  const d = (await readSpikesAsync(makeNwb({ units: [[0.3], []] }))) as SpikeTrains;
  assert.equal(times(d), [[0.3], []]);
});

test("malformed NWB: each error names the dataset (and element)", () => {
  fails(makeNwb({ units: [[0.1]], noUnits: true }), "ERR_INVALID_FORMAT", "units");
  fails(makeNwb({ units: [[0.1]], noIndex: true }), "ERR_INVALID_FORMAT", "units/spike_times_index");
  fails(makeNwb({ units: [[0.1, 0.2], [0.3]], index: [2, 1] }), "ERR_INVALID_DATA", "units/spike_times_index[1]");
  fails(makeNwb({ units: [[0.1, 0.2], [0.3]], index: [1, 2] }), "ERR_INVALID_DATA", "units/spike_times_index");
  fails(makeNwb({ units: [[0.1, 0.2], [0.3]], index: [2, 4] }), "ERR_INVALID_DATA", "units/spike_times_index[1]");
  fails(makeNwb({ units: [[0.5, 0.2]] }), "ERR_INVALID_DATA", "units/spike_times[1]");
  fails(makeNwb({ units: [[0.1, Number.NaN]] }), "ERR_INVALID_DATA", "units/spike_times[1]");
  fails(makeNwb({ units: [[-0.1]] }), "ERR_INVALID_DATA", "units/spike_times[0]");
  fails(makeNwb({ units: [[0.1], [0.2]], ids: [1] }), "ERR_INVALID_DATA", "units/id");
  fails(makeNwb({ units: [[], []] }), "ERR_INVALID_FORMAT", "units/spike_times");
  fails(makeNwb({ units: [[0.1]] }), "ERR_INVALID_DATA", "units/spike_times_index", { nNeurons: 2 });
  fails(new TextEncoder().encode("neuron,time\n0,1\n"), "ERR_INVALID_FORMAT", "(file)");
  const h = makeNwb({ units: [[0.1]] });
  // Cut short: HDF5 may open it and fail on the first dataset; either way a format error naming where.
  fails(h.subarray(0, 600), "ERR_INVALID_FORMAT", null);
  fails(new Uint8Array(0), "ERR_INVALID_FORMAT", "(file)");
});

test("a recording whose units all lack spikes reads with duration given", () => {
  const d = readSpikes(makeNwb({ units: [[], []] }), { duration: 1 }) as SpikeTrains;
  assert.equal(times(d), [[], []]);
});

test.run();
