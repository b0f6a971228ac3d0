import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tensorTrain, empiricalDense, fitBorn } from "../helpers/setup.js";

const test = suite("tn/cli");
const dgrn = (...args: string[]) => spawnSync(process.execPath, ["bin/dgrn.js", ...args], { encoding: "utf8" });
const F = "tests/fixtures/tn";

/** The fixture as the library sees it: parse the CSV by hand (header row, then 0/1 rows). */
function csvStates() {
  const rows = readFileSync(`${F}/states.csv`, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",").map(Number));
  return { T: rows.length, n: rows[0]!.length, data: Uint8Array.from(rows.flat()) };
}

test("tn --json: the same train from NPY (u1, f8 Fortran, big-endian i8) and CSV, matching the library", () => {
  const st = csvStates();
  const ref = tensorTrain(st, { tol: 0.05 });
  for (const file of ["states_u1.npy", "states_f8_fortran.npy", "states_i8_be.npy", "states.csv"]) {
    const r = dgrn("tn", "--model", "tt-svd", "--states", `${F}/${file}`, "--tol", "0.05", "--json");
    assert.is(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.bondDims, Array.from(ref.bondDims), file);
    assert.is(out.params, ref.params);
    assert.is(out.fullSize, 4096);
    assert.ok(Math.abs(out.relError - ref.relError) < 1e-12);
    assert.ok(out.relError <= 0.05);
    assert.is(out.entanglement.length, 11);
    const born = tensorTrain(st, { tol: 0.05, born: true });
    assert.ok(Math.abs(out.entanglement[5] - born.entanglement[5]!) < 1e-12);
    assert.ok(out.kl > 0 && out.tv > 0);
  }
});

test("tn --order --born --flow", () => {
  const r = dgrn(
    "tn",
    "--model",
    "tt-svd",
    "--states",
    `${F}/states_u1.npy`,
    "--order",
    `${F}/order.json`,
    "--born",
    "--tol",
    "0.1",
    "--max-bond",
    "8",
    "--flow",
    `${F}/flow.json`,
    "--json",
  );
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.born, true);
  assert.equal(out.order, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  assert.ok(Math.max(...out.bondDims) <= 8);
  const ref = tensorTrain(csvStates(), { tol: 0.1, maxBond: 8, born: true, order: out.order });
  assert.equal(out.bondDims, Array.from(ref.bondDims));
  assert.equal(
    out.tree.layers.map((l: { nCoarse: number }) => l.nCoarse),
    [12, 3, 1],
  );
  assert.ok(
    out.tree.relError <= 0.1 + 1e-12 ||
      Math.max(...out.tree.layers.flatMap((l: { bondDims: number[] }) => l.bondDims)) === 8,
  );
  void empiricalDense;
});

test("tn: a count above 1 is not a binary state", () => {
  const r = dgrn("tn", "--states", `${F}/counts.csv`);
  assert.is(r.status, 2);
  assert.match(r.stderr, /entry \(1, 2\) is 2, expected 0 or 1 \[ERR_INVALID_DATA\]/);
});

test("tn: human output, and user errors are one line with exit 2", () => {
  const ok = dgrn("tn", "--model", "tt-svd", "--states", `${F}/states_u1.npy`);
  assert.is(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /bond dims/);
  const bad = dgrn("tn", "--states", `${F}/states_bad.npy`);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /\[3, 5\].*\[ERR_INVALID_DATA\]/);
  const missing = dgrn("tn", "--states", `${F}/nope.npy`);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /\[ERR_IO\]/);
  const tol = dgrn("tn", "--model", "tt-svd", "--states", `${F}/states_u1.npy`, "--tol", "-1");
  assert.is(tol.status, 2);
  assert.match(tol.stderr, /`--tol`.*\[ERR_OUT_OF_RANGE\]/); // issue 17: the flag, not opts.tol
  const order = dgrn("tn", "--states", `${F}/states_u1.npy`, "--order", `${F}/flow.json`);
  assert.is(order.status, 2);
  assert.match(order.stderr, /\[ERR_INVALID_TYPE\]/);
  const nostates = dgrn("tn");
  assert.is.not(nostates.status, 0);
  assert.match(nostates.stderr, /--states/);
});

test("tn --model born-mps --json: the issue's fields, --order from a graph.json, --eval-out = the library's log₂ P̃", () => {
  const st = csvStates();
  const dir = mkdtempSync(join(tmpdir(), "dgrn-tn-"));
  writeFileSync(join(dir, "graph.json"), JSON.stringify({ n: 12, order: [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0] }));
  const out = join(dir, "lp.npy");
  const r = dgrn(
    "tn",
    "--states",
    `${F}/states_u1.npy`,
    "--order",
    join(dir, "graph.json"),
    "--max-bond",
    "3",
    "--eval",
    `${F}/states.csv`,
    "--eval-out",
    out,
    "--json",
  );
  assert.is(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.is(o.model, "born-mps");
  assert.equal(o.order, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  assert.ok(Math.max(...o.bondDims) <= 3);
  for (const k of ["train", "validation", "test"]) assert.type(o.nll[k], "number");
  for (const m of ["product", "chowLiu", "mixture"])
    for (const k of ["train", "validation", "test"]) assert.type(o.baselines[m][k], "number");
  const fit = fitBorn(st, { maxBond: 3, order: o.order });
  assert.is(o.nll.test, fit.nll.test);
  assert.is(o.params, fit.params);
  const bytes = readFileSync(out);
  const hdr = bytes.readUInt16LE(8);
  assert.match(bytes.subarray(10, 10 + hdr).toString("latin1"), /'<f8'.*\(\d+,\)/);
  const lp = new Float64Array(bytes.buffer.slice(bytes.byteOffset + 10 + hdr, bytes.byteOffset + bytes.length));
  assert.equal(Array.from(lp), Array.from(fit.logProb(st)));
  const bad = dgrn("tn", "--states", `${F}/states_u1.npy`, "--model", "nope");
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--model.*\[ERR_INVALID_OPTION\]/);
});

test.run();
