import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tensorTrain, empiricalDense, fitBorn, crossValidateBorn, checkFlow } from "../helpers/setup.js";

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
  // exact (n = 12 ≤ 20): the relative error of the truncated tree, computed against the
  // empirical distribution, is bounded by the root of the summed discarded weights (the
  // hierarchical-Tucker bound), whether or not the bond cap binds; and it is not zero
  assert.ok(out.tree.relError > 0, `${out.tree.relError}`);
  assert.ok(out.tree.relError <= out.tree.errorBound * (1 + 1e-9), `${out.tree.relError} vs ${out.tree.errorBound}`);
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

test("tn --model born-tree --flow: the issue's fields; the flow from lrg --json, results.json or a bare RGFlow alike; --folds", () => {
  const st = csvStates();
  const dir = mkdtempSync(join(tmpdir(), "dgrn-tn-"));
  const groups = [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [8, 9, 10, 11],
  ];
  // dgrn lrg --json prints no assignment; results.json keeps lrg.flow as an array of steps
  writeFileSync(
    join(dir, "lrg.json"),
    JSON.stringify({ flow: { n0: 12, stopReason: "x", steps: [{ tau: 1, n: 3, groups }] } }),
  );
  writeFileSync(
    join(dir, "results.json"),
    JSON.stringify({ lrg: { flow: [{ tau: 1, n: 3, groups }], stopReason: "x" } }),
  );
  const outs = [`${F}/flow.json`, join(dir, "lrg.json"), join(dir, "results.json")].map((f) => {
    const r = dgrn(
      "tn",
      "--states",
      `${F}/states_u1.npy`,
      "--model",
      "born-tree",
      "--flow",
      f,
      "--max-bond",
      "2",
      "--max-node-bits",
      "8",
      "--json",
    );
    assert.is(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  });
  const o = outs[0];
  assert.is(o.model, "born-tree");
  for (const k of ["train", "validation", "test"]) assert.type(o.nll[k], "number");
  for (const m of ["product", "chowLiu", "mixture"])
    for (const k of ["train", "validation", "test"]) assert.type(o.baselines[m][k], "number");
  assert.is(o.tree.nodes, 4); // 3 four-ary plaquette-like nodes + the 3-ary root
  const flow = checkFlow(
    "flow",
    {
      n0: 12,
      stopReason: "x",
      steps: [{ tau: 1, n: 3, groups, assignment: Int32Array.from({ length: 12 }, (_, i) => Math.floor(i / 4)) }],
    },
    12,
  );
  const fit = fitBorn(st, { model: "born-tree", flow, maxBond: 2, maxNodeBits: 8 });
  assert.is(o.nll.test, fit.nll.test);
  assert.is(o.params, fit.params);
  assert.equal(o.bondDims, fit.bondDims);
  for (const x of outs.slice(1)) assert.equal(x.nll, o.nll);
  // no flow: a clear one-line error
  const none = dgrn("tn", "--states", `${F}/states_u1.npy`, "--model", "born-tree");
  assert.is(none.status, 2);
  assert.match(none.stderr, /--model born-tree.*needs.*--flow.*\[ERR_INVALID_OPTION\]/);
  const badFlow = dgrn("tn", "--states", `${F}/states_u1.npy`, "--model", "born-tree", "--flow", `${F}/order.json`);
  assert.is(badFlow.status, 2);
  assert.match(badFlow.stderr, /--flow.*\[ERR_INVALID_TYPE\]/);
  // K-fold blocks: the library's numbers
  const cv = dgrn("tn", "--states", `${F}/states_u1.npy`, "--max-bond", "2", "--folds", "3", "--json");
  assert.is(cv.status, 0, cv.stderr);
  const c = JSON.parse(cv.stdout).folds;
  const ref = crossValidateBorn(st, 3, { maxBond: 2 });
  assert.is(c.K, 3);
  assert.equal(c.mean, ref.mean);
  assert.equal(
    c.folds.map((f: { test: number[] }) => f.test),
    ref.folds.map((f) => f.test),
  );
});

test.run();
