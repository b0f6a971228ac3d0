import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "../helpers/setup.js";

const test = suite("lrg/cli");
const dgrn = (...args: string[]) => spawnSync(process.execPath, ["bin/dgrn.js", ...args], { encoding: "utf8" });
const dir = mkdtempSync(join(tmpdir(), "dgrn-lrg-"));

// two K_5 joined by the edge 4–5
const edges: [number, number, number][] = [];
for (let q = 0; q < 2; q++)
  for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) edges.push([q * 5 + a, q * 5 + b, 1]);
edges.push([4, 5, 1]);
const jsonFile = join(dir, "two.json");
writeFileSync(jsonFile, JSON.stringify({ n: 10, edges, directed: false }));
const csvFile = join(dir, "two.csv");
writeFileSync(csvFile, "source,target,weight\n" + edges.map((e) => e.join(",")).join("\n") + "\n");

test("lrg --json prints one object with the issue's fields; each clique becomes a supernode (rule rho)", () => {
  const r = dgrn("lrg", "--graph", jsonFile, "--points", "200", "--rule", "rho", "--json");
  assert.is(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  for (const k of ["n", "tau", "entropy", "specificHeat", "peaks", "fiedlerTime", "finestTime", "flow"])
    assert.ok(k in o, k);
  assert.is(o.n, 10);
  assert.is(o.tau.length, 200);
  assert.ok(Math.abs(o.entropy[0] - 1) < 0.01);
  assert.ok(o.peaks.length >= 1 && "tau" in o.peaks[0] && "C" in o.peaks[0]);
  assert.equal(o.flow.steps[0].supernodes, [
    [0, 1, 2, 3, 4],
    [5, 6, 7, 8, 9],
  ]);
  assert.is(o.flow.steps[0].n, 2);
  assert.match(o.flow.stopReason, /fixed point/);
});

test("lrg reads CSV edge lists; --undirected and --tau-min/--tau-max/--rule/--method pass through; --out writes the JSON", () => {
  const out = join(dir, "r.json");
  const r = dgrn(
    "lrg",
    "--graph",
    csvFile,
    "--undirected",
    "--tau-min",
    "0.01",
    "--tau-max",
    "100",
    "--points",
    "50",
    "--rule",
    "modes",
    "--method",
    "dense",
    "--out",
    out,
  );
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /peaks/);
  const o = JSON.parse(readFileSync(out, "utf8"));
  assert.is(o.tau[0], 0.01);
  assert.is(o.tau[49], 100);
  assert.is(o.options.rule, "modes");
});

test("lrg: user errors are one line and exit 2", () => {
  for (const args of [
    ["--graph", join(dir, "missing.json")],
    ["--graph", jsonFile, "--laplacian", "in"],
    ["--graph", jsonFile, "--tau-min", "5", "--tau-max", "1"],
  ]) {
    const r = dgrn("lrg", ...args);
    assert.is(r.status, 2, r.stderr);
    assert.is(r.stderr.trim().split("\n").length, 1);
    assert.match(r.stderr, /^dgrn: .*\[ERR_/);
  }
});

test.run();
