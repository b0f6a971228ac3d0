// Stage-level async variants on the in-run pool: bit-identical to the
// synchronous call for 0 (in-thread), 1 and 2 workers. One pool per size for
// every check (a worker start-up compiles the SDK through tsx in development).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  createPool,
  decode,
  decodeAsync,
  decodeFlow,
  decodeFlowAsync,
  inferGraph,
  inferGraphAsync,
  fitBorn,
  fitBornAsync,
  crossValidateBorn,
  crossValidateBornAsync,
  tnAcrossScales,
  tnAcrossScalesAsync,
  coarseTrajectories,
  randomUniform,
} from "../helpers/setup.js";
import type { RGFlow } from "../helpers/setup.js";

const test = suite("parallel/stages");

type Pool = Awaited<ReturnType<typeof createPool>>;
const pools: Pool[] = [];
test.before(async () => {
  for (const workers of [0, 1, 2]) pools.push(await createPool({ workers }));
});
test.after(async () => {
  for (const p of pools) await p.close();
});

const T = 600,
  n = 24;
const u = randomUniform(T * (n + 1), { seed: 12 });
const labels = new Int32Array(T);
const data = new Uint8Array(T * n);
for (let t = 0; t < T; t++) {
  labels[t] = Math.floor(t / 50) % 3;
  for (let j = 0; j < n; j++) data[t * n + j] = u[t * (n + 1) + 1 + j]! < (j % 3 === labels[t] ? 0.35 : 0.15) ? 1 : 0;
}
const states = { T, n, data };
const assignment = Int32Array.from({ length: n }, (_, j) => j % 6);
const groups = Array.from({ length: 6 }, (_, g) => Array.from({ length: n / 6 }, (_, q) => g + 6 * q));
const flow: RGFlow = { n0: n, stopReason: "test", steps: [{ tau: 1, n: 6, groups, assignment }] };

const json = (v: unknown) =>
  JSON.stringify(v, (_, x) =>
    ArrayBuffer.isView(x)
      ? Array.from(x as unknown as ArrayLike<number>)
      : typeof x === "number"
        ? Buffer.from(new Float64Array([x]).buffer).toString("hex")
        : x,
  );

// activity for inference: two groups of units driven by shared events, counts up to 3
const TI = 900,
  nI = 30;
const ui = randomUniform(TI * (nI + 1), { seed: 5 });
const counts = new Uint16Array(TI * nI);
for (let t = 0; t < TI; t++) {
  const drive = ui[t * (nI + 1)]! < 0.1;
  for (let j = 0; j < nI; j++) {
    const r = ui[t * (nI + 1) + 1 + j]!;
    counts[t * nI + j] = r < (drive && j < 15 ? 0.5 : 0.06) ? (r < 0.02 ? 3 : 1) : 0;
  }
}
const binned = {
  kind: "binned" as const,
  nNeurons: nI,
  nBins: TI,
  binSize: 0.01,
  counts,
  neuronIds: Int32Array.from({ length: nI }, (_, i) => i),
  provenance: { source: "array" as const },
};
const graphBits = (g: ReturnType<typeof inferGraph>) =>
  json({ s: g.source, t: g.target, w: g.weight, z: g.z, c: g.conditionedOn ?? null });

test("decodeAsync and decodeFlowAsync: same bits as decode / decodeFlow with 0, 1 and 2 workers", async () => {
  const opts = { folds: 5, seed: 3, maxIter: 40 };
  const want = json(decode(states, labels, opts));
  const wantFlow = json(decodeFlow(states, flow, labels, opts));
  assert.ok(JSON.parse(want).accuracy !== undefined);
  for (const pool of pools) {
    const workers = pool.size;
    {
      assert.is(json(await decodeAsync(states, labels, opts, pool)), want, `decode, workers = ${workers}`);
      const seen: number[] = [];
      const got = await decodeFlowAsync(states, flow, labels, { ...opts, onProgress: (f) => seen.push(f) }, pool);
      assert.is(json(got), wantFlow, `decodeFlow, workers = ${workers}`);
      assert.equal(
        seen.sort((a, b) => a - b),
        [0.5, 1],
      );
    }
  }
});

test("inferGraphAsync: same bits as inferGraph (partial, xcorr on counts, jitter fallback) with 0, 1 and 2 workers", async () => {
  const cases = [
    { seed: 2 },
    { method: "xcorr" as const, binary: false, surrogates: 13, seed: 4 },
    { method: "xcorr" as const, surrogate: "jitter" as const, surrogates: 4, seed: 4 },
  ];
  const want = cases.map((o) => graphBits(inferGraph(binned, o)));
  assert.ok(inferGraph(binned, cases[1]).source.length > 0);
  for (const pool of pools) {
    const workers = pool.size;
    {
      for (let c = 0; c < cases.length; c++)
        assert.is(graphBits(await inferGraphAsync(binned, cases[c], pool)), want[c], `case ${c}, workers = ${workers}`);
    }
  }
});

const fitBits = (f: ReturnType<typeof fitBorn>) =>
  json({ ...f, logProb: null, product: f.product.params, lp: f.logProb(states) });

test("fitBornAsync (MPS with baselines, tree without) and tnAcrossScalesAsync: same bits with 0, 1 and 2 workers", async () => {
  const order = Int32Array.from({ length: n }, (_, j) => (j * 5) % n);
  const mps = { order, maxBond: 4, seed: 3 };
  const tree = { model: "born-tree" as const, flow, maxBond: 2, baselines: false, seed: 3 };
  const wantMps = fitBits(fitBorn(states, mps));
  const wantTree = fitBits(fitBorn(states, tree));
  assert.ok(JSON.parse(wantMps).baselines !== null);
  const levels = [states, ...coarseTrajectories(states, flow)];
  const sOpts = { maxBond: 4, caps: [2, 4], seed: 3, tree: { flow, maxBond: 2 } };
  const want = tnAcrossScales(levels, order, sOpts);
  const wantScales = json(want.scales);
  assert.is(want.scales.length, 2);
  assert.ok(want.scales[1]!.ratio !== 1 && want.scales[0]!.ratio === 1);
  for (const pool of pools) {
    const workers = pool.size;
    assert.is(fitBits(await fitBornAsync(states, mps, pool)), wantMps, `MPS fit, workers = ${workers}`);
    assert.is(fitBits(await fitBornAsync(states, tree, pool)), wantTree, `tree fit, workers = ${workers}`);
    const seen: number[] = [];
    const got = await tnAcrossScalesAsync(levels, order, { ...sOpts, onProgress: (f) => seen.push(f) }, pool);
    assert.is(json(got.scales), wantScales, `scales, workers = ${workers}`);
    assert.is(fitBits(got.fit), fitBits(want.fit));
    assert.is(fitBits(got.fitTree!), fitBits(want.fitTree!));
    assert.is(json(got.entanglement), json(want.entanglement));
    assert.equal(
      seen.sort((a, b) => a - b),
      [0.25, 0.5, 0.75, 1],
    );
  }
  const cvOpts = { order, maxBond: 2, seed: 5, components: [1, 2] };
  const wantCv = json(crossValidateBorn(states, 3, cvOpts));
  assert.is(JSON.parse(wantCv).folds.length, 3);
  for (const pool of pools)
    assert.is(json(await crossValidateBornAsync(states, 3, cvOpts, pool)), wantCv, `folds, workers = ${pool.size}`);
  // the options are checked before any task starts
  await fitBornAsync(states, { maxBond: 0 }, pools[2]!).then(
    () => assert.unreachable("no error"),
    (e: Error) => assert.match(e.message, /opts\.maxBond/),
  );
});

test.run();
