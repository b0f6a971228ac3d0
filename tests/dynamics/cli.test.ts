import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulateMarkovChain } from "../helpers/setup.js";
import { parseNpy } from "../../sdk/cli/states-file.js";

const test = suite("dynamics/cli");
const dgrn = (...args: string[]) => spawnSync(process.execPath, ["bin/dgrn.js", ...args], { encoding: "utf8" });
const dir = mkdtempSync(join(tmpdir(), "dgrn-dyn-"));

/** A minimal NPY v1 file writer (for the test only). */
function npy(descr: string, shape: number[], body: Uint8Array, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += " ".repeat(pad % 64) + "\n";
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

// a ring walk on 3 units, one active at a time (T = 3,000): irreversible, predictable
const x = simulateMarkovChain(
  { rows: 3, cols: 3, data: new Float64Array([0.2, 0.7, 0.1, 0.1, 0.2, 0.7, 0.7, 0.1, 0.2]) },
  { steps: 3000, seed: 1 },
);
const T = x.length;
const bits = new Uint8Array(T * 3);
for (let t = 0; t < T; t++) bits[t * 3 + x[t]!] = 1;
const statesNpy = join(dir, "states.npy");
writeFileSync(statesNpy, npy("|u1", [T, 3], bits));
const statesCsv = join(dir, "states.csv");
writeFileSync(
  statesCsv,
  "u0,u1,u2\n" + Array.from({ length: T }, (_, t) => [...bits.subarray(t * 3, t * 3 + 3)].join(",")).join("\n") + "\n",
);
const labelsCsv = join(dir, "labels.csv");
writeFileSync(labelsCsv, Array.from(x).join("\n") + "\n");

test("dynamics --json: one object with σ, its baseline, nStates, prediction and decoding", () => {
  const r = dgrn("dynamics", "--states", statesNpy, "--labels", labelsCsv, "--json");
  assert.is(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.is(o.nStates, 3);
  assert.is(o.T, T);
  const exact = (0.7 - 0.1) * Math.log(7);
  assert.ok(Math.abs(o.entropyProduction / exact - 1) < 0.1, `${o.entropyProduction} vs ${exact}`);
  assert.ok(o.entropyProduction > o.entropyProductionBaseline.hi);
  assert.ok(o.prediction.markov.logLikelihood > o.prediction.persistence.logLikelihood);
  assert.is(o.decoding.accuracy, 1); // the label is the active unit
  assert.not.match(r.stdout, /NaN|Infinity/);
});

test("dynamics reads CSV with a header the same as NPY, and prints a readable summary", () => {
  const a = JSON.parse(dgrn("dynamics", "--states", statesCsv, "--json").stdout);
  const b = JSON.parse(dgrn("dynamics", "--states", statesNpy, "--json").stdout);
  assert.equal(a, b);
  assert.not.ok("decoding" in a);
  const r = dgrn("dynamics", "--states", statesCsv);
  assert.is(r.status, 0);
  assert.match(r.stdout, /σ\s+\d/);
});

test("NPY reader: Fortran order, int64 and float64, bad magic", () => {
  const body = new Uint8Array(new BigInt64Array([1n, 0n, 0n, 1n, 1n, 1n]).buffer); // column-major 2×3
  const a = parseNpy(npy("<i8", [2, 3], body, true), "x");
  assert.equal(a.shape, [2, 3]);
  assert.equal([...a.values], [1, 0, 1, 0, 1, 1]);
  const f = parseNpy(npy("<f8", [2], new Uint8Array(new Float64Array([0, 1]).buffer)), "y");
  assert.equal([...f.values], [0, 1]);
  assert.throws(() => parseNpy(new Uint8Array(20), "z"), /bad magic/);
});

test("user errors exit 2 with one line: a non-binary entry, a missing file, mismatched labels", () => {
  const bad = join(dir, "bad.csv");
  writeFileSync(bad, "0,1\n2,0\n");
  for (const args of [
    ["--states", bad],
    ["--states", join(dir, "missing.npy")],
    ["--states", statesCsv, "--labels", bad],
  ]) {
    const r = dgrn("dynamics", ...args);
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, /^dgrn: .*\[ERR_[A-Z_]+\]\n$/);
  }
});

test.run();
