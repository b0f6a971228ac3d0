// Against numpy (tests/fixtures/tn/make_entanglement.py): Schmidt spectra of
// the dense Born state and of P at every bond, and the bond dimensions of a
// dense TT-SVD, for the empirical distribution of tests/fixtures/tn/states.csv.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { tensorTrain } from "../helpers/setup.js";

const test = suite("tn/reference");
const F = "tests/fixtures/tn";
const ref = JSON.parse(readFileSync(`${F}/entanglement.json`, "utf8")) as {
  n: number;
  born: { s: number[]; S: number }[];
  p: { s: number[]; S: number }[];
  ttsvd: { tol: number; bondDims: number[] };
};
const rows = readFileSync(`${F}/states.csv`, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",").map(Number));
const states = { T: rows.length, n: rows[0]!.length, data: Uint8Array.from(rows.flat()) };

test("Schmidt values and entanglement of the Born train match numpy's dense SVD at every bond", () => {
  for (const born of [true, false]) {
    const tt = tensorTrain(states, { born, tol: 0, maxBond: 4096 });
    const want = born ? ref.born : ref.p;
    for (let k = 0; k < ref.n - 1; k++) {
      const got = Array.from(tt.singularValues[k]!).filter((s) => s > 1e-12);
      assert.is(got.length, want[k]!.s.length, `born=${born} bond ${k}: rank`);
      for (let i = 0; i < got.length; i++)
        assert.ok(Math.abs(got[i]! - want[k]!.s[i]!) < 1e-12, `born=${born} bond ${k} s${i}`);
      assert.ok(Math.abs(tt.entanglement[k]! - want[k]!.S) < 1e-12, `born=${born} bond ${k}: S`);
    }
  }
});

test("bond dimensions equal those of a dense TT-SVD (numpy) at the same tolerance", () => {
  const tt = tensorTrain(states, { tol: ref.ttsvd.tol, maxBond: 4096 });
  assert.equal(Array.from(tt.bondDims), ref.ttsvd.bondDims);
});

test.run();
