import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  kernel,
  laplacianRG,
  lrgSupernodes,
  heatKernelAction,
  laplacianSpectrum,
  throwsCode,
  maxAbsDiff,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
} from "../helpers/setup.js";
import { cliques, complete, cycle, fromEdges, path } from "./graphs.js";

const test = suite("lrg/flow");
const sortGroups = (g: readonly (readonly number[])[]) =>
  g.map((x) => [...x].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
const cliqueGroups = (c: number, m: number) =>
  Array.from({ length: c }, (_, q) => Array.from({ length: m }, (_, a) => q * m + a));

test("two cliques joined by one edge: at the larger-τ peak the ρ′ rule makes each clique one supernode", () => {
  const g = cliques(2, 8, "chain");
  const r = laplacianRG(g);
  assert.is(r.peaks.length, 2);
  const big = r.peaks[r.peaks.length - 1]!;
  assert.equal(sortGroups(lrgSupernodes(g, big.tau).groups), cliqueGroups(2, 8));
  // and the flow takes that step (nothing merges at the smaller peak)
  assert.is(r.flow.steps[0]!.tau, big.tau);
  assert.equal(sortGroups(r.flow.steps[0]!.groups), cliqueGroups(2, 8));
  assert.equal([...r.flow.steps[0]!.assignment], [...Array(8).fill(0), ...Array(8).fill(1)]);
});

test("ring of cliques: each clique becomes exactly one supernode at the larger-τ peak", () => {
  const g = cliques(6, 6, "ring");
  const r = laplacianRG(g);
  const big = r.peaks[r.peaks.length - 1]!;
  assert.equal(sortGroups(lrgSupernodes(g, big.tau).groups), cliqueGroups(6, 6));
  assert.is(r.flow.steps[0]!.n, 6);
  assert.is(r.levels[1]!.n, 6);
  // the metagraph is a 6-cycle with unit weights: its spectrum is 2 − 2cos(2πk/6), so finest time 1/4
  assert.ok(Math.abs(r.levels[1]!.finestTime! - 0.25) < 1e-12);
});

test("metagraph weights are summed: two cliques joined by edges of weight 1 and 2 give a 2-node graph of weight 3", () => {
  const base = cliques(2, 8, "none");
  const g = fromEdges(16, [
    ...Array.from(base.source, (s, e) => [s, base.target[e]!] as [number, number]),
    [7, 8, 1],
    [6, 9, 2],
  ]);
  const r = laplacianRG(g);
  assert.is(r.flow.steps[0]!.n, 2);
  assert.ok(Math.abs(r.levels[1]!.finestTime! - 1 / 6) < 1e-12); // eigenvalues 0 and 2 × 3
});

test("vertex-transitive graphs are fixed points of the ρ′ rule, and the flow says why", () => {
  for (const g of [cycle(12), complete(8)]) {
    const r = laplacianRG(g);
    assert.ok(r.peaks.length >= 1);
    assert.is(r.flow.steps.length, 0);
    assert.ok(r.flow.stopReason.startsWith("fixed point: ρ′_ij"), r.flow.stopReason);
    // ρ_ij < ρ_ii for every pair, also without the edge restriction
    assert.is(laplacianRG(g, { restrictToEdges: false }).flow.steps.length, 0);
  }
});

test('rule "modes" flows a cycle of 2^k nodes down to one node', () => {
  for (const n of [16, 64]) {
    const r = laplacianRG(cycle(n), { rule: "modes" });
    assert.is(r.flow.stopReason, "one node");
    const ns = r.flow.steps.map((s) => s.n);
    assert.is(ns[ns.length - 1], 1);
    for (let i = 1; i < ns.length; i++) assert.ok(ns[i]! < ns[i - 1]!);
    // every level-0 node ends in supernode 0
    assert.equal([...new Set(r.flow.steps[ns.length - 1]!.assignment)], [0]);
    // N′ = #{λ_i ≤ 1/τ*} at the first step
    const lam = laplacianSpectrum(cycle(n));
    assert.is(ns[0], lam.filter((l) => l <= 1 / r.flow.steps[0]!.tau).length);
  }
});

test("unrestricted ρ′ rule agrees with the restricted one on two cliques", () => {
  const g = cliques(2, 6, "chain");
  const t = laplacianRG(g).peaks.at(-1)!.tau;
  assert.equal(sortGroups(lrgSupernodes(g, t, { restrictToEdges: false }).groups), cliqueGroups(2, 6));
});

test("Krylov ρ (the SLQ path) gives the same supernodes as the eigendecomposition", () => {
  const g = cliques(4, 6, "ring");
  const t = laplacianRG(g).peaks.at(-1)!.tau;
  assert.equal(lrgSupernodes(g, t, { method: "slq" }).groups, lrgSupernodes(g, t).groups);
  const r = laplacianRG(g, { method: "slq", probes: 8, steps: 23 });
  assert.is(r.method, "slq");
  assert.ok(r.entropyError !== null);
  assert.is(r.flow.steps[0]!.n, 4);
});

test("heatKernelAction matches e^{−τL} from the spectrum (path: column sums are conserved, K_n closed form)", () => {
  const n = 6;
  const e0 = new Float64Array(n);
  e0[0] = 1;
  const t = 0.3;
  const col = heatKernelAction(complete(n), t, e0);
  // e^{−τL} = J/n + e^{−nτ}(I − J/n)
  const want = Array.from({ length: n }, (_, i) => 1 / n + Math.exp(-n * t) * ((i === 0 ? 1 : 0) - 1 / n));
  assert.ok(maxAbsDiff(col, want) < 1e-13);
  const p = heatKernelAction(
    path(40),
    5,
    Float64Array.from({ length: 40 }, (_, i) => i % 3),
  );
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 39) < 1e-10);
});

test("edge cases: single node, no edges, isolated nodes, disconnected graphs, extreme τ ranges", () => {
  const one = laplacianRG(fromEdges(1, []));
  assert.is(one.flow.stopReason, "one node");
  assert.is(one.tau.length, 0);
  assert.is(one.fiedlerTime, null);
  const none = laplacianRG(fromEdges(5, []));
  assert.ok(none.flow.stopReason.startsWith("no edges"));
  assert.is(none.tau.length, 0);
  const noneGrid = laplacianRG(fromEdges(5, []), { tauMin: 0.1, tauMax: 10, points: 5 });
  assert.equal([...noneGrid.entropy], [1, 1, 1, 1, 1]);
  assert.equal([...noneGrid.specificHeat], [0, 0, 0, 0, 0]);
  // K_5 plus three isolated nodes: 4 components, S(∞) = ln 4 / ln 8, isolated nodes stay singletons
  const k5 = complete(5);
  const iso = laplacianRG({ ...k5, n: 8 }, { tauMin: 1e-3, tauMax: 1e5 });
  assert.is(iso.components, 4);
  assert.ok(Math.abs(iso.entropy.at(-1)! - Math.log(4) / Math.log(8)) < 1e-12);
  // two disconnected cliques: the flow still coarse-grains each clique
  const two = laplacianRG(cliques(2, 5, "none"));
  assert.is(two.components, 2);
  for (const s of two.flow.steps)
    assert.ok(s.groups.every((grp) => grp.every((v) => Math.floor(v / 5) === Math.floor(grp[0]! / 5)) || s.n < 2));
  // extreme τ ranges stay finite
  const ext = laplacianRG(path(12), { tauMin: 1e-200, tauMax: 1e200, points: 50, flow: false });
  for (const v of [...ext.entropy, ...ext.specificHeat]) assert.ok(Number.isFinite(v));
  assert.ok(Math.abs(ext.entropy[0]! - 1) < 1e-12 && Math.abs(ext.entropy.at(-1)!) < 1e-12);
});

test('laplacian "out": equal to "sym" on symmetric graphs, a typed error on asymmetric directed ones', () => {
  const g = cliques(2, 5, "chain");
  assert.equal(
    [...laplacianRG(g, { laplacian: "out", flow: false }).entropy],
    [...laplacianRG(g, { flow: false }).entropy],
  );
  const d = fromEdges(
    3,
    [
      [0, 1],
      [1, 2],
    ],
    true,
  );
  throwsCode(() => laplacianRG(d, { laplacian: "out" }), DgrnRangeError, ErrorCode.INVALID_OPTION);
});

test("pure: the input graph is not mutated; no memory leaks on success or failure", () => {
  const g = cliques(2, 5, "chain");
  const before = [...g.source, ...g.target, ...g.weight];
  const s0 = kernel.stats();
  laplacianRG(g);
  try {
    laplacianRG(g, { points: -1 });
  } catch {
    /* expected */
  }
  assert.equal([...g.source, ...g.target, ...g.weight], before);
  assert.is(kernel.stats().bytesInUse, s0.bytesInUse);
});

test("invalid arguments of laplacianRG (one each)", () => {
  const g = path(5);
  const bad = (o: unknown) => () => laplacianRG(g, o as never);
  throwsCode(() => laplacianRG(null as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => laplacianRG({ ...g, n: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => laplacianRG(fromEdges(0, [])), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => laplacianRG({ ...g, directed: "no" as never }), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => laplacianRG({ ...g, source: Int32Array.of(0, 1, 2, 9) }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => laplacianRG({ ...g, target: Int32Array.of(1) }), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => laplacianRG({ ...g, weight: Float64Array.of(1, 1, -1, 1) }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => laplacianRG({ ...g, weight: Float64Array.of(1, 1, NaN, 1) }), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(() => laplacianRG({ ...g, weight: "w" as never }), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(bad({ sed: 1 }), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(bad("opts"), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(bad({ points: 2 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(bad({ points: 1.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(bad({ tauMin: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(bad({ tauMax: Infinity }), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(bad({ tauMin: 2, tauMax: 1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(bad({ tauMin: 1e6 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE); // above the default tauMax
  throwsCode(bad({ laplacian: "in" }), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(bad({ rule: "kadanoff" }), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(bad({ method: "lanczos" }), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(bad({ restrictToEdges: 1 }), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(bad({ seed: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(bad({ probes: 1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(bad({ steps: 1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(bad({ prominence: 1.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(bad({ flow: "yes" }), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(bad({ method: "slq", restrictToEdges: false }), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => lrgSupernodes(g, 0), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => lrgSupernodes(g, 1, { rule: "x" as never }), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => heatKernelAction(g, 1, [1, 2]), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => heatKernelAction(g, -1, [1, 0, 0, 0, 0]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
});

test.run();
