// Build small NWB-shaped HDF5 files with h5wasm, for reader tests: a units
// table with the ragged spike_times / spike_times_index layout (hdmf
// VectorData + VectorIndex), unit ids, and the NWB root attributes.
import * as h5wasm from "h5wasm";
import { loadNWB } from "./setup.js";

await loadNWB();
await h5wasm.ready;

let counter = 0;

export interface NwbSpec {
  /** Spike times (s) per unit. */
  units: number[][];
  /** Unit ids (default 0..n−1); null to omit units/id. */
  ids?: number[] | null;
  /** Override the end offsets written to spike_times_index. */
  index?: number[];
  /** Override the flat spike_times. */
  flat?: number[];
  /** Omit spike_times_index. */
  noIndex?: boolean;
  /** Omit the units group entirely. */
  noUnits?: boolean;
}

/** The bytes of an NWB file holding `spec`. */
export function makeNwb(spec: NwbSpec): Uint8Array {
  const path = `/test-${++counter}.nwb`;
  const f = new h5wasm.File(path, "w");
  try {
    f.create_attribute("nwb_version", "2.7.0");
    f.create_attribute("neurodata_type", "NWBFile");
    f.create_attribute("namespace", "core");
    f.create_dataset({ name: "identifier", data: "dgrn-test" });
    f.create_dataset({ name: "session_description", data: "reader test" });
    if (!spec.noUnits) {
      const g = f.create_group("units");
      g.create_attribute("neurodata_type", "Units");
      g.create_attribute("colnames", ["spike_times"]);
      g.create_attribute("description", "test units");
      const flat = spec.flat ?? spec.units.flat();
      const st = g.create_dataset({ name: "spike_times", data: new Float64Array(flat) });
      st.create_attribute("neurodata_type", "VectorData");
      if (!spec.noIndex) {
        let acc = 0;
        const ends = spec.index ?? spec.units.map((u) => (acc += u.length));
        const ix = g.create_dataset({ name: "spike_times_index", data: BigInt64Array.from(ends, (v) => BigInt(v)) });
        ix.create_attribute("neurodata_type", "VectorIndex");
      }
      if (spec.ids !== null) {
        const ids = spec.ids ?? spec.units.map((_, k) => k);
        g.create_dataset({ name: "id", data: new Int32Array(ids) });
      }
    }
  } finally {
    f.close();
  }
  const bytes = (h5wasm.FS as unknown as { readFile(p: string): Uint8Array }).readFile(path);
  (h5wasm.FS as unknown as { unlink(p: string): void }).unlink(path);
  return new Uint8Array(bytes);
}
