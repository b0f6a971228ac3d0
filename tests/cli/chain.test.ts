// One name per concept and the pipeline's defaults everywhere: `dgrn infer` then
// `dgrn lrg` on its output, with no flags, reproduce the graph and RG flow of
// `dgrn run` (the pipeline's own stages, run in-process here as the reference).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runPipeline, dataStage, binStage, graphStage, lrgStage } from "../helpers/setup.js";

const test = suite("cli/chain");
const OUT = "tests/output/cli-chain";
mkdirSync(OUT, { recursive: true });
const dgrn = (...args: string[]) => spawnSync(process.execPath, ["bin/dgrn.js", ...args], { encoding: "utf8" });

const reference = runPipeline({}, { stages: [dataStage, binStage, graphStage, lrgStage] }).results;

test("dgrn infer --input lif with no flags is the graph stage of the default run", () => {
  const r = dgrn("infer", "--input", "lif", "--out", join(OUT, "graph.json"), "--json");
  assert.is(r.status, 0, r.stderr);
  const doc = JSON.parse(readFileSync(join(OUT, "graph.json"), "utf8"));
  assert.is(doc.n, reference.graph.n); // 500: the pipeline's fraction 0.5 of the simulation
  assert.equal(doc.nodes, reference.data.observed);
  assert.equal(doc.communities, reference.graph.communities);
  assert.equal(doc.order, reference.graph.order);
  assert.is(doc.modularity, reference.graph.modularity);
  assert.is(doc.edges.length, reference.graph.nEdges);
  assert.equal(doc.edges[0], reference.graph.edges[0]);
  assert.is(doc.options.subsample, 0.5);
});

test("dgrn lrg on that graph.json with no flags gives the default run's RG flow", () => {
  const r = dgrn("lrg", "--graph", join(OUT, "graph.json"), "--json", "--quiet", "--out", join(OUT, "lrg.json"));
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.options.rule, "modes");
  assert.equal(
    out.flow.steps.map((s: { n: number }) => s.n),
    reference.lrg.flow.map((s) => s.n),
  );
  assert.equal(
    out.flow.steps.map((s: { groups: number[][] }) => s.groups),
    reference.lrg.flow.map((s) => s.groups),
  );
  assert.is(out.flow.stopReason, reference.lrg.stopReason);
  assert.is(out.fiedlerTime, reference.lrg.fiedlerTime);
  const inferred = dgrn("lrg", "--graph", join(OUT, "graph.json"), "--json", "--quiet", "--lrg-graph", "inferred");
  assert.is(inferred.status, 0, inferred.stderr);
  assert.is.not(JSON.parse(inferred.stdout).fiedlerTime, reference.lrg.fiedlerTime);
});

test("renamed flags: --bin is gone (--bin-size), --subsample is an alias of --fraction, dynamics --markov-order", () => {
  const a = dgrn("infer", "--input", "lif", "--bin", "0.01", "--out", join(OUT, "x.json"));
  assert.is(a.status, 2);
  assert.match(a.stderr, /unknown option '--bin'/);
  const b = dgrn("infer", "--input", "lif", "--fraction", "0.5", "--subsample", "0.2", "--out", join(OUT, "x.json"));
  assert.is(b.status, 2);
  assert.match(b.stderr, /--subsample.*alias/);
  const help = dgrn("dynamics", "--help").stdout;
  assert.match(help, /--markov-order <k>\s+Markov order for prediction \(default 1\)/);
  assert.match(dgrn("lrg", "--help").stdout, /\(default: "modes"\)/);
});

test.run();
