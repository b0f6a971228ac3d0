// Against LAPACK through numpy/scipy: values written by the committed script
// tests/fixtures/linalg/make_linalg.py (Debian python3); this test only reads them.
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { eigh, svd, qr, expmSym, maxAbsDiff } from "../helpers/setup.js";
import { mat } from "./util.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/linalg/linalg.json", import.meta.url), "utf8"));
const test = suite("linalg/fixtures");

test("eigh values match LAPACK syevd (40×40)", () => {
  const { n, a, values } = fx.eigh;
  assert.ok(maxAbsDiff(eigh(mat(n, n, a), { vectors: false }).values, values) < 1e-12);
  assert.ok(maxAbsDiff(eigh(mat(n, n, a)).values, values) < 1e-12);
});

test("svd values match LAPACK gesdd (30×20, 20×30)", () => {
  for (const key of ["svd_tall", "svd_wide"]) {
    const { rows, cols, a, s } = fx[key];
    assert.ok(maxAbsDiff(svd(mat(rows, cols, a)).s, s) < 1e-12, key);
  }
});

test("qr's R matches LAPACK geqrf with diag(R) ≥ 0 (25×12)", () => {
  const { rows, cols, a, r } = fx.qr;
  assert.ok(maxAbsDiff(qr(mat(rows, cols, a)).r.data, r) < 1e-12);
});

test("expmSym matches scipy's Padé scaling and squaring (15-node weighted Laplacian)", () => {
  const { n, l, t, e } = fx.expm;
  assert.ok(maxAbsDiff(expmSym(mat(n, n, l), t).data, e) < 1e-13);
});

test.run();
