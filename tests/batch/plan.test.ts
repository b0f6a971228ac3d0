// Plans, job ids, the job folder's atomic write, headline metrics and the CSV:
// no pipeline runs here (fast).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DgrnIOError, DgrnRangeError, DgrnTypeError, resolvePipelineConfig } from "../helpers/setup.js";
import { canonicalJson, checkPlan, expandGlob, expandPlan, gridPoints, setPath } from "../../sdk/batch/plan.js";
import { writeJobDir } from "../../sdk/batch/store.js";
import { headline } from "../../sdk/batch/metrics.js";
import { aggregate, toCsv, type BatchCollection } from "../../sdk/batch/collect.js";

const test = suite("batch/plan");
const DIR = resolve("tests/output/batch-plan");
rmSync(DIR, { recursive: true, force: true });
mkdirSync(join(DIR, "recs", "deep"), { recursive: true });
const K = "ab".repeat(32);
const CSV = "neuron,time\n0,0.1\n1,0.2\n";
for (const f of ["recs/a.csv", "recs/b.csv", "recs/c.npy", "recs/deep/d.csv"]) writeFileSync(join(DIR, f), CSV);

async function rejects(p: Promise<unknown>, cls: abstract new (...a: never[]) => Error, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, cls);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable("expected a rejection");
}

test("canonical JSON sorts keys at every level; setPath makes nested objects", () => {
  assert.is(
    canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 1 }], c: null } }),
    '{"a":{"c":null,"d":[1,{"y":1,"z":0}]},"b":1}',
  );
  const c: Record<string, unknown> = { tn: { tol: 0.1 } };
  setPath(c, "tn.maxBond", 4);
  setPath(c, "lrg.rule", "rho");
  assert.equal(c, { tn: { tol: 0.1, maxBond: 4 }, lrg: { rule: "rho" } });
  assert.throws(() => setPath({ tn: 3 }, "tn.maxBond", 4), /not one/);
  assert.throws(() => setPath({}, "a..b", 1), /dotted config path/);
  assert.throws(() => setPath({}, "__proto__.x", 1), /dotted config path/);
});

test("grid points: the Cartesian product, last key fastest", () => {
  assert.equal(gridPoints(undefined), [{}]);
  assert.equal(gridPoints({ seed: [1, 2], "lrg.rule": ["modes", "rho", "x"] }).length, 6);
  assert.equal(gridPoints({ a: [1, 2], b: [3, 4] }), [
    { a: 1, b: 3 },
    { a: 1, b: 4 },
    { a: 2, b: 3 },
    { a: 2, b: 4 },
  ]);
});

test("globs: *, ?, [..], ** relative to the plan; sorted; a plain path passes through", async () => {
  const rel = async (p: string) => (await expandGlob(p, DIR)).map((f) => f.slice(DIR.length + 1));
  assert.equal(await rel("recs/*.csv"), ["recs/a.csv", "recs/b.csv"]);
  assert.equal(await rel("recs/?.npy"), ["recs/c.npy"]);
  assert.equal(await rel("recs/[ab].csv"), ["recs/a.csv", "recs/b.csv"]);
  assert.equal(await rel("recs/**/*.csv"), ["recs/a.csv", "recs/b.csv", "recs/deep/d.csv"]);
  assert.equal(await rel("recs/a.csv"), ["recs/a.csv"]);
  assert.equal(await rel("nothing/*.csv"), []);
});

test("a plan expands to inputs × grid points; dotted keys set nested config; simulate merges over base", async () => {
  const plan = checkPlan({
    base: { tn: { maxBond: 8 }, simulate: { duration: 2 } },
    inputs: ["recs/*.csv", { simulate: { n: 100, clusters: 4 } }],
    grid: { seed: [1, 2, 3], "tn.maxBond": [4, 8] },
  });
  const jobs = await expandPlan(plan, DIR, K);
  assert.is(jobs.length, 3 * 6);
  assert.is(new Set(jobs.map((j) => j.id)).size, 18, "distinct ids");
  assert.equal(
    jobs.map((j) => j.label).filter((l, i, a) => a.indexOf(l) === i),
    ["recs/a.csv", "recs/b.csv", "simulate#1"],
  );
  const sim = jobs.find((j) => j.label === "simulate#1" && j.params["seed"] === 2 && j.params["tn.maxBond"] === 4)!;
  assert.equal(sim.config, { tn: { maxBond: 4 }, simulate: { duration: 2, n: 100, clusters: 4 }, seed: 2 });
  const file = jobs.find((j) => j.label === "recs/a.csv")!;
  assert.equal(file.input, {
    kind: "file",
    path: join(DIR, "recs/a.csv"),
    name: "a.csv",
    sha256: createHash("sha256").update(CSV).digest("hex"),
    bytes: CSV.length,
  });
  // the id is the documented hash of input, resolved config and kernel
  const h = createHash("sha256");
  h.update("dgrn-batch-job/1\n");
  h.update(`file ${createHash("sha256").update(CSV).digest("hex")} a.csv\n`);
  h.update(canonicalJson(resolvePipelineConfig(file.config)) + "\n");
  h.update(`kernel ${K}\n`);
  assert.is(file.id, h.digest("hex"));
});

test("job ids: stable under key order and explicit defaults; change with input bytes, name, config, kernel", async () => {
  const ids = async (plan: unknown, k = K) => (await expandPlan(checkPlan(plan), DIR, k)).map((j) => j.id);
  const a = await ids({ base: { tn: { maxBond: 8, tol: 1e-3 } }, inputs: ["recs/a.csv"] });
  assert.equal(await ids({ base: { tn: { tol: 1e-3, maxBond: 8 } }, inputs: ["recs/a.csv"] }), a, "key order");
  assert.equal(
    await ids({ base: { tn: { maxBond: 8 }, fraction: 0.5 }, inputs: ["recs/a.csv"] }),
    a,
    "defaults written out",
  );
  assert.not.equal(await ids({ base: { tn: { maxBond: 4 } }, inputs: ["recs/a.csv"] }), a, "config");
  assert.not.equal(await ids({ base: { tn: { maxBond: 8 } }, inputs: ["recs/b.csv"] }), a, "same bytes, other name");
  assert.not.equal(await ids({ base: { tn: { maxBond: 8 } }, inputs: ["recs/a.csv"] }, "cd".repeat(32)), a, "kernel");
  writeFileSync(join(DIR, "recs/a.csv"), CSV + "0,0.3\n");
  assert.not.equal(await ids({ base: { tn: { maxBond: 8 } }, inputs: ["recs/a.csv"] }), a, "changed input");
  writeFileSync(join(DIR, "recs/a.csv"), CSV);
  assert.equal(await ids({ base: { tn: { maxBond: 8 } }, inputs: ["recs/a.csv"] }), a, "restored input");
  assert.is(
    (await ids({ inputs: ["recs/a.csv", "recs/a.csv"], grid: { seed: [1, 1] } })).length,
    1,
    "duplicates removed",
  );
});

test("bad plans fail before anything runs, naming what is wrong", async () => {
  assert.throws(
    () => checkPlan([]),
    (e: unknown) => e instanceof DgrnTypeError,
  );
  assert.throws(() => checkPlan({ inputs: [] }), /plan\.inputs/);
  assert.throws(() => checkPlan({ inputs: ["a"], gird: {} }), /keys among base, inputs, grid/);
  assert.throws(() => checkPlan({ inputs: [3] }), /plan\.inputs\[0\]/);
  assert.throws(() => checkPlan({ inputs: ["a"], grid: { seed: [] } }), /plan\.grid\["seed"\]/);
  assert.throws(() => checkPlan({ inputs: ["a"], base: { input: "x.csv" } }), /plan\.base\.input/);
  await rejects(expandPlan(checkPlan({ inputs: ["nope/*.csv"] }), DIR, K), DgrnIOError, /matches no file/);
  await rejects(
    expandPlan(checkPlan({ inputs: ["recs/a.csv"], grid: { fraction: [0.5, 2] } }), DIR, K),
    DgrnRangeError,
    /plan job recs\/a\.csv at \{"fraction":2\}: .*fraction/,
  );
  await rejects(
    expandPlan(checkPlan({ inputs: [{ simulate: { duration: -1 } }] }), DIR, K),
    DgrnRangeError,
    /plan job simulate#1: .*duration/,
  );
});

test("a job folder appears whole by one rename; a second writer's copy is discarded", async () => {
  const out = join(DIR, "store");
  const id = "f".repeat(64);
  assert.is(await writeJobDir(out, id, { "results.json": "first\n", "report.html": "<p>1</p>" }), "written");
  assert.is(await writeJobDir(out, id, { "results.json": "second\n", "report.html": "<p>2</p>" }), "exists");
  assert.is(readFileSync(join(out, "jobs", id, "results.json"), "utf8"), "first\n");
  assert.equal(readdirSync(join(out, "jobs")), [id], "no temporary folder left");
});

test("headline metrics: read defensively, missing fields absent", () => {
  assert.equal(headline({}), {});
  assert.equal(headline(null), {});
  const h = headline({
    data: { nObserved: 50 },
    graph: { n: 50, nCommunities: 4, modularity: 0.4, scores: { auroc: 0.9, ari: 1, nmi: null, aurocWithin: 0.8 } },
    lrg: { flow: [{ n: 10 }, { n: 3 }] },
    tn: { born: { heldOutNll: 12.5, trainNll: 11 } },
    dynamics: {
      scales: [
        { step: 0, sigma: 0.1, decodingAccuracy: 0.7 },
        { step: 1, sigma: 0.05 },
      ],
    },
  });
  assert.equal(h, {
    ari: 1,
    auroc: 0.9,
    aurocWithin: 0.8,
    nObserved: 50,
    nCommunities: 4,
    modularity: 0.4,
    rgNodes: "50>10>3",
    rgSteps: 2,
    rgFinal: 3,
    "tn.born.heldOutNll": 12.5,
    "tn.born.trainNll": 11,
    "sigma[0]": 0.1,
    "sigma[1]": 0.05,
    "decoding[0]": 0.7,
  });
});

test("batch.csv quotes what needs it; aggregation gives mean and min–max over seeds", () => {
  const c: BatchCollection = {
    schema: "dgrn-batch/1",
    dgrn: { version: "x", kernelSha256: K },
    plan: "p",
    gridKeys: ["seed", "fraction"],
    counts: { total: 4, done: 3, failed: 1, pending: 0 },
    metrics: ["ari"],
    jobs: [
      {
        id: "1",
        input: "a,b.csv",
        params: { seed: 1, fraction: 0.5 },
        state: "done",
        error: null,
        metrics: { ari: 0.5 },
      },
      {
        id: "2",
        input: "a,b.csv",
        params: { seed: 2, fraction: 0.5 },
        state: "done",
        error: null,
        metrics: { ari: 1 },
      },
      {
        id: "3",
        input: "a,b.csv",
        params: { seed: 1, fraction: 1 },
        state: "done",
        error: null,
        metrics: { ari: 0.25 },
      },
      { id: "4", input: "a,b.csv", params: { seed: 2, fraction: 1 }, state: "failed", error: 'bad "x"', metrics: {} },
    ],
  };
  const csv = toCsv(c).split("\n");
  assert.is(csv[0], "id,input,state,seed,fraction,ari,error");
  assert.is(csv[1], '1,"a,b.csv",done,1,0.5,0.5,');
  assert.is(csv[4], '4,"a,b.csv",failed,2,1,,"bad ""x"""');
  const pts = aggregate(c, "fraction", ["ari"]).sort((a, b) => (a.x as number) - (b.x as number));
  assert.equal(pts, [
    { x: 0.5, series: "a,b.csv", metric: "ari", mean: 0.75, lo: 0.5, hi: 1, n: 2 },
    { x: 1, series: "a,b.csv", metric: "ari", mean: 0.25, lo: 0.25, hi: 0.25, n: 1 },
  ]);
});

test.run();
