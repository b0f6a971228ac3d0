import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { readGraph, simulateLIF, writeSpikes } from "../helpers/setup.js";

const test = suite("graph/cli");
const dgrn = (...args: string[]) => spawnSync(process.execPath, ["bin/dgrn.js", ...args], { encoding: "utf8" });

test("infer --input lif writes graph.json with n, nodes, edges, communities, order, modularity, options", () => {
  mkdirSync("tests/output", { recursive: true });
  const out = "tests/output/graph-cli.json";
  const r = dgrn(
    "infer",
    "--input",
    "lif",
    "--subsample",
    "0.2",
    "--lags",
    "1..3",
    "--seed",
    "2",
    "--out",
    out,
    "--json",
  );
  assert.is(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  const doc = JSON.parse(readFileSync(out, "utf8"));
  assert.is(doc.n, 200);
  assert.is(summary.n, 200);
  assert.is(doc.directed, true);
  assert.is(doc.nodes.length, 200);
  assert.ok(doc.nodes.every((v: number) => Number.isInteger(v) && v >= 0 && v < 1000));
  assert.is(doc.edges.length, summary.edges);
  assert.is(doc.communities.length, 200);
  assert.equal(
    [...doc.order].sort((a: number, b: number) => a - b),
    Array.from({ length: 200 }, (_, i) => i),
  );
  assert.type(doc.modularity, "number");
  assert.equal(doc.options.lags, [1, 3]);
  assert.is(doc.options.seed, 2);
  assert.is(doc.options.subsample, 0.2);
  const g = readGraph(readFileSync(out));
  assert.is(g.n, 200);
  assert.is(g.source.length, doc.edges.length);
});

test("infer --input spikes.csv (the SDK's reader) with --method glm", () => {
  mkdirSync("tests/output", { recursive: true });
  const spikes = simulateLIF({ n: 60, clusters: 3, duration: 2, seed: 4 }).spikes;
  writeFileSync("tests/output/graph-cli-spikes.csv", writeSpikes(spikes, "csv"));
  const out = "tests/output/graph-cli-glm.json";
  const r = dgrn(
    "infer",
    "--input",
    "tests/output/graph-cli-spikes.csv",
    "--method",
    "glm",
    "--lags",
    "1",
    "--out",
    out,
    "--json",
  );
  assert.is(r.status, 0, r.stderr);
  const doc = JSON.parse(readFileSync(out, "utf8"));
  assert.is(doc.n, 60);
  assert.is(doc.options.method, "glm");
  assert.equal(doc.options.lags, [1, 1]);
  assert.is(doc.communities.length, 60);
});

test("infer: a missing file, a bad --lags and a bad --method are one-line errors", () => {
  const a = dgrn("infer", "--input", "no/such/file.csv", "--out", "tests/output/x.json");
  assert.is(a.status, 2);
  assert.match(a.stderr, /ERR_IO/);
  const b = dgrn("infer", "--input", "lif", "--lags", "a..b", "--out", "tests/output/x.json");
  assert.is(b.status, 2); // issue 17: usage errors exit 2 like every user error
  assert.match(b.stderr, /lo\.\.hi/);
  const c = dgrn(
    "infer",
    "--input",
    "lif",
    "--method",
    "granger",
    "--bin-size",
    "0.05",
    "--out",
    "tests/output/x.json",
  );
  assert.is(c.status, 2);
  assert.match(c.stderr, /ERR_INVALID_OPTION/);
  assert.not.match(c.stderr, /\n\s+at /);
});

test.run();
