import { detectWarnings } from "../../sdk/pipeline/warnings.js";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import {
  kernel,
  runPipeline,
  resolvePipelineConfig,
  simulateLIF,
  adjustedRandIndex,
  sanitize,
  DgrnError,
  DgrnRangeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
  RESULTS_SCHEMA,
  type PipelineResults,
} from "../helpers/setup.js";
import { smallRun, SMALL_CONFIG, SMALL_CONFIG_PATH } from "../helpers/pipeline.js";

const test = suite("pipeline");
const OUT = "tests/output/pipeline";
mkdirSync(OUT, { recursive: true });

test("results.json validates against docs/results.schema.json", () => {
  const schema = JSON.parse(readFileSync("docs/results.schema.json", "utf8"));
  const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const doc = JSON.parse(JSON.stringify(smallRun().results)) as { schema: string };
  const ok = validate(doc);
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 1));
  assert.is(doc.schema, RESULTS_SCHEMA);
});

/** Every number in a value, with its path. */
function numbersOf(value: unknown, path = "$", out: [string, number][] = []): [string, number][] {
  if (typeof value === "number") out.push([path, value]);
  else if (ArrayBuffer.isView(value))
    Array.from(value as unknown as ArrayLike<number>, (v, i) => out.push([`${path}[${i}]`, v]));
  else if (Array.isArray(value)) value.forEach((v, i) => numbersOf(v, `${path}[${i}]`, out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) numbersOf(v, `${path}.${k}`, out);
  return out;
}

test("no NaN or Infinity anywhere: every number of the results object is finite (before JSON could null it)", () => {
  const r = smallRun().results;
  const nums = numbersOf(r);
  assert.ok(nums.length > 1000, `${nums.length} numbers checked`);
  const bad = nums.filter(([, v]) => !Number.isFinite(v));
  assert.equal(bad, []);
  assert.not.ok(
    r.warnings.some((w) => /non-finite/.test(w)),
    "sanitize had nothing to null",
  );
  // the other warnings are the detected weak results, exactly
  assert.equal(r.warnings, detectWarnings(r));
});

test("sanitize writes a non-finite number as null and says where, in the warnings", () => {
  const warnings: string[] = [];
  const out = sanitize(
    { a: 1, b: [2, NaN], c: { d: Infinity }, e: new Float64Array([3, -Infinity]), f: undefined },
    warnings,
  );
  assert.equal(out, { a: 1, b: [2, null], c: { d: null }, e: [3, null] });
  assert.equal(warnings, [
    "non-finite value NaN at $.b[1] written as null",
    "non-finite value Infinity at $.c.d written as null",
    "non-finite value -Infinity at $.e[1] written as null",
  ]);
});

test("the TN stage: per-scale held-out NLLs of the Born machine and baselines, R_0 = 1, the warning iff no better than the product model", () => {
  const r = smallRun().results;
  const t = r.tn;
  assert.is(t.model, "born-mps");
  assert.is(t.scales.length, r.lrg.flow.length + 1);
  assert.is(t.scales[0]!["ratio"], 1);
  for (const s of t.scales) {
    const h = s["entropy"] as number;
    assert.ok((s["entropyLo"] as number) <= h + 1e-9 && h <= (s["entropyHi"] as number) + 1e-9, JSON.stringify(s));
    const held = s["heldOut"] as Record<string, number>;
    assert.is(h, Math.min(held["born"]!, held["product"]!, held["chowLiu"]!, held["mixture"]!));
  }
  // warned exactly when some scale's Born machine is not ahead of its best baseline (10⁻⁹ relative)
  const worse = t.scales.some((s) => {
    const h = s["heldOut"] as Record<string, number>;
    const b = Math.min(h["product"]!, h["chowLiu"]!, h["mixture"]!);
    return !(h["born"]! < b - 1e-9 * Math.max(1, Math.abs(b)));
  });
  assert.is(
    r.warnings.some((w) => /a simple baseline predicts held-out bins at least as well as the Born machine/.test(w)),
    worse,
  );
  assert.ok(t.mps.nll.test !== null && Number.isFinite(t.mps.nll.test));
});

test("the same seed gives the same results, and another seed different ones", () => {
  const a = JSON.stringify(smallRun().results);
  assert.is(JSON.stringify(runPipeline(SMALL_CONFIG).results), a);
  assert.is.not(JSON.stringify(runPipeline({ ...SMALL_CONFIG, seed: 2 }).results), a);
});

test("the run records its versions and kernel, and every stage's timing separately", () => {
  const { results, timings } = smallRun();
  // the sha256 of the file on disk, computed here, not the value the loader recorded
  assert.is(results.dgrn.kernelSha256, createHash("sha256").update(readFileSync("dist/dgrn.wasm")).digest("hex"));
  assert.is(results.dgrn.abi, kernel.info.abi);
  assert.equal(
    timings.map((t) => t.stage),
    ["data", "bin", "graph", "lrg", "tn", "dynamics"],
  );
  assert.not.match(JSON.stringify(results), /"ms"/);
});

test("internal consistency against independent recomputation", () => {
  const r: PipelineResults = smallRun().results;
  const n = r.graph.n;
  // the order is a permutation keeping every community contiguous
  assert.equal(
    [...r.graph.order].sort((a, b) => a - b),
    Array.from({ length: n }, (_, i) => i),
  );
  const seq = r.graph.order.map((v) => r.graph.communities[v]);
  const changes = seq.filter((c, p) => p > 0 && c !== seq[p - 1]).length;
  assert.is(changes, r.graph.nCommunities - 1);
  // the flow coarse-grains strictly, and assignments agree with groups
  let prev = n;
  let prevAssign = Array.from({ length: n }, (_, i) => i);
  for (const step of r.lrg.flow) {
    assert.ok(step.n < prev, `flow ${prev} → ${step.n}`);
    assert.is(step.groups.length, step.n);
    for (let i = 0; i < n; i++) {
      const g = step.groups[step.assignment[i]!]!;
      assert.ok(g.includes(prevAssign[i]!), `node ${i}: its previous supernode is a member of its new one`);
    }
    prev = step.n;
    prevAssign = step.assignment;
  }
  // MPS parameters = Σ 2 r_k r_{k+1}
  const d = r.tn.mps.bondDims;
  let params = 0;
  for (let k = 0; k + 1 < d.length; k++) params += 2 * d[k]! * d[k + 1]!;
  assert.is(r.tn.mps.params, params);
  assert.is(r.tn.mps.log2FullSize, n);
  // the data summary agrees with the simulator
  const sim = simulateLIF({ ...SMALL_CONFIG.simulate, seed: 1 });
  assert.is(r.data.nNeurons, sim.spikes.nNeurons);
  assert.is(r.data.nObserved, Math.round(sim.spikes.nNeurons * 0.5));
  let spikes = 0;
  for (const id of r.data.observed) spikes += sim.spikes.times[id]!.length;
  assert.is(r.data.totalSpikes, spikes, "every observed spike lands in a bin");
  // ground-truth scores are present and meaningful on the simulated network
  assert.ok(r.graph.scores && r.graph.scores.auroc! > 0.7 && r.graph.scores.ari! > 0.5, JSON.stringify(r.graph.scores));
});

test("metagraph weights = Pᵀ A_s P of the symmetrised graph, A_s = (A + Aᵀ)/2 (flow of the inferred graph, ρ′ rule)", () => {
  const r = runPipeline({ ...SMALL_CONFIG, lrgGraph: "inferred", lrg: { rule: "rho" } }).results;
  assert.is(r.config["lrgGraph"], "inferred");
  assert.ok(r.lrg.flow.length >= 1);
  const n = r.graph.n;
  // dense A_s from the reported directed edges, independently of the SDK's builders
  const As = new Float64Array(n * n);
  for (const [i, j, w] of r.graph.edges) if (i !== j) ((As[i * n + j]! += w / 2), (As[j * n + i]! += w / 2));
  for (const step of r.lrg.flow) {
    const M = new Float64Array(step.n * step.n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) M[step.assignment[i]! * step.n + step.assignment[j]!]! += As[i * n + j]!;
    const want = new Map<string, number>();
    for (let a = 0; a < step.n; a++)
      for (let b = a + 1; b < step.n; b++) if (M[a * step.n + b]! > 0) want.set(`${a},${b}`, M[a * step.n + b]!);
    assert.is(step.metagraph.edges.length, want.size, `step with ${step.n} supernodes`);
    for (const [a, b, w] of step.metagraph.edges) {
      assert.ok(a < b);
      const expect = want.get(`${a},${b}`);
      assert.ok(
        expect !== undefined && Math.abs(w - expect) <= 1e-9 * Math.max(1, expect),
        `edge ${a}-${b}: ${w} vs ${expect}`,
      );
    }
  }
});

test("latent diffusion's degree cap, when it cuts, is in results.graph.diffusionCap and the warnings (counted from the edges)", () => {
  const small = smallRun().results;
  // neighbour counts of the symmetrised inferred graph, from results.json's own edge list
  const n = small.graph.n;
  assert.is(small.graph.edgesOmitted, undefined, "every edge is listed");
  const nb = Array.from({ length: n }, () => new Set<number>());
  for (const [i, j] of small.graph.edges) if (i !== j) (nb[i]!.add(j), nb[j]!.add(i));
  const deg = nb.map((s) => s.size);
  const largest = Math.max(...deg);
  const pairs = deg.reduce((a, b) => a + b, 0) / 2;
  const want = (k: number) =>
    largest > k
      ? { maxDegree: k, nodesOver: deg.filter((d) => d > k).length, largestDegree: largest, pairsGiven: pairs }
      : undefined;
  // the default cap (64): reported exactly when some node has more neighbours, with the warning
  assert.equal(small.graph.diffusionCap, want(64));
  assert.is(
    small.warnings.some((w) => /degree cap/.test(w)),
    largest > 64,
  );
  const k = Math.max(1, Math.floor(largest / 2));
  const r = runPipeline({ ...SMALL_CONFIG, diffusion: { maxDegree: k } }).results;
  assert.equal(r.graph.diffusionCap, want(k));
  assert.ok(
    r.warnings.some((w) =>
      w.startsWith(`graph: latent diffusion's input degree cap cut ${r.graph.diffusionCap!.nodesOver} nodes of ${n}`),
    ),
    r.warnings.join("\n"),
  );
  // maxDegree 0 diffuses every edge: no cut reported
  assert.is(runPipeline({ ...SMALL_CONFIG, diffusion: { maxDegree: 0 } }).results.graph.diffusionCap, undefined);
});

test("the default flow (modes rule on the diffused graph) finds the simulated clusters as supernodes", () => {
  const r = smallRun().results;
  const first = r.lrg.flow[0]!;
  const sim = simulateLIF({ ...SMALL_CONFIG.simulate, seed: 1 });
  const exc = r.data.observed.map((id, i) => [i, sim.truth.clusters[id]!] as const).filter(([, c]) => c >= 0);
  const ari = adjustedRandIndex(
    exc.map(([i]) => first.assignment[i]!),
    exc.map(([, c]) => c),
  );
  assert.ok(ari > 0.9, `ARI of the first RG step's supernodes vs the true clusters: ${ari}`);
});

test("the kernel's memory is unchanged after a run", () => {
  const before = kernel.stats();
  runPipeline(SMALL_CONFIG);
  const after = kernel.stats();
  assert.is(after.bytesInUse, before.bytesInUse);
  assert.is(after.liveBlocks, before.liveBlocks);
});

test("Node and Deno write byte-identical results.json from the docs' example", () => {
  const node = spawnSync(process.execPath, ["examples/pipeline.mjs", join(OUT, "node.json"), SMALL_CONFIG_PATH], {
    encoding: "utf8",
  });
  assert.is(node.status, 0, node.stderr);
  const deno = join("node_modules", ".bin", "deno");
  if (!existsSync(deno)) {
    console.log("  (Deno comparison skipped: the deno npm package's binary is absent)");
    return;
  }
  const r = spawnSync(
    deno,
    [
      "run",
      "--no-config",
      "--no-lock",
      "--allow-read",
      "--allow-write",
      "examples/pipeline.mjs",
      join(OUT, "deno.json"),
      SMALL_CONFIG_PATH,
    ],
    {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    },
  );
  assert.is(r.status, 0, r.stderr);
  const a = readFileSync(join(OUT, "node.json"));
  const b = readFileSync(join(OUT, "deno.json"));
  assert.ok(a.equals(b), "results.json differs between Node and Deno");
  assert.is(JSON.parse(a.toString()).dgrn.kernelSha256, kernel.info.sha256);
});

test("invalid configurations: each a typed error before any work", () => {
  throwsCode(() => resolvePipelineConfig({ sed: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => resolvePipelineConfig({ seed: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => resolvePipelineConfig({ fraction: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => resolvePipelineConfig({ fraction: 1.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => resolvePipelineConfig({ binSize: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => resolvePipelineConfig({ binSize: NaN }), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(() => resolvePipelineConfig({ tn: { tol: 2 } } as never), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => resolvePipelineConfig({ tn: { maxBond: 0 } } as never), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => resolvePipelineConfig({ tn: { sweep: "0.1" } } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => resolvePipelineConfig({ tn: { sweep: [0.5] } } as never), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(
    () => resolvePipelineConfig({ dynamics: { rule: "all" } } as never),
    DgrnRangeError,
    ErrorCode.INVALID_OPTION,
  );
  throwsCode(
    () => resolvePipelineConfig({ dynamics: { decodeRule: "some" } } as never),
    DgrnRangeError,
    ErrorCode.INVALID_OPTION,
  );
  throwsCode(() => resolvePipelineConfig({ lrgGraph: "raw" } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => resolvePipelineConfig({ input: { kind: "nope" } } as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => resolvePipelineConfig("x" as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
});

test("every stage's options are checked before any work, under their config.* names", () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ graph: { lags: 0 } }, ErrorCode.OUT_OF_RANGE, "`config.graph.lags`"],
    [{ graph: { method: "magic" } }, ErrorCode.INVALID_OPTION, "`config.graph.method`"],
    [{ graph: { nonsense: 1 } }, ErrorCode.INVALID_OPTION, "`config.graph`"],
    [{ simulate: { duration: -1 } }, ErrorCode.OUT_OF_RANGE, "`config.simulate.duration`"],
    [{ simulate: { clusters: 1.5 } }, ErrorCode.OUT_OF_RANGE, "`config.simulate.clusters`"],
    [{ diffusion: { tau: -1 } }, ErrorCode.OUT_OF_RANGE, "`config.diffusion.tau`"],
    [{ diffusion: { steps: 3 } }, ErrorCode.INVALID_OPTION, "`config.diffusion`"],
    [{ lrg: { rule: "nearest" } }, ErrorCode.INVALID_OPTION, "`config.lrg.rule`"],
    [{ lrg: { points: 2 } }, ErrorCode.OUT_OF_RANGE, "`config.lrg.points`"],
  ];
  for (const [config, code, name] of cases) {
    const progress: string[] = [];
    let err: unknown = null;
    try {
      runPipeline(config as never, { onProgress: (p) => progress.push(p.stage) });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof DgrnError, `${JSON.stringify(config)}: ${err}`);
    assert.is((err as DgrnError).code, code, `${JSON.stringify(config)}: ${(err as Error).message}`);
    assert.ok((err as Error).message.includes(name), `${JSON.stringify(config)}: ${(err as Error).message}`);
    assert.equal(progress, [], `${JSON.stringify(config)}: no stage began`);
  }
});

test.run();
