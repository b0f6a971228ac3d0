import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  treeTensorNetwork,
  ttnDense,
  ttnEvaluate,
  empiricalDense,
  klDivergence,
  totalVariation,
  shannonEntropy,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
  maxAbsDiff,
  type RGFlow,
} from "../helpers/setup.js";
import { bernoulliStates, blockStates, relDiff, support } from "./util.js";

const test = suite("tn/treeTensorNetwork");

/** A flow that merges consecutive runs of `sizes[s]` nodes at step s. */
function runsFlow(n: number, sizes: number[]): RGFlow {
  let m = n;
  const assignment0 = Int32Array.from({ length: n }, (_, i) => i);
  const steps = sizes.map((b, s) => {
    const groups: number[][] = [];
    for (let i = 0; i < m; i += b) groups.push(Array.from({ length: Math.min(b, m - i) }, (_, j) => i + j));
    for (let i = 0; i < n; i++) assignment0[i] = Math.floor(assignment0[i]! / b);
    m = groups.length;
    return { tau: s + 1, groups, assignment: assignment0.slice(), n: m };
  });
  return { n0: n, steps, stopReason: "test" };
}

test("‖T − T̃‖ ≤ ε‖T‖ by enumeration; relError is the exact error (P and Born, n ≤ 16)", () => {
  const cases = [
    { st: bernoulliStates(400, 8, 0.3, 1), flow: runsFlow(8, [2, 2, 2]), tol: 0.05 },
    { st: blockStates(600, 12, 4, 0.1, 2), flow: runsFlow(12, [4, 3]), tol: 0.2 },
    { st: blockStates(800, 16, 4, 0.05, 3), flow: runsFlow(16, [4]), tol: 0.1 },
    { st: bernoulliStates(500, 12, 0.2, 4), flow: runsFlow(12, [3, 2]), tol: 0.3 },
  ];
  for (const { st, flow, tol } of cases) {
    for (const born of [false, true]) {
      const net = treeTensorNetwork(st, flow, { tol, born, maxBond: 4096 });
      const P = empiricalDense(st);
      const ref = born ? P.map(Math.sqrt) : P;
      const err = relDiff(ref, ttnDense(net));
      assert.ok(err <= tol * (1 + 1e-9), `n=${st.n} born=${born}: ${err}`);
      assert.ok(Math.abs(err - net.relError) <= 1e-8, `${err} vs ${net.relError}`);
      assert.ok(net.relError <= net.errorBound + 1e-12);
      assert.ok(net.relError > 0, `nothing truncated n=${st.n} born=${born}`);
    }
  }
});

test("layers follow the flow; the last layer's KL/TV are those of the dense reconstruction", () => {
  const st = blockStates(600, 12, 4, 0.1, 5);
  const flow = runsFlow(12, [2, 2, 3]);
  const net = treeTensorNetwork(st, flow, { tol: 0.1 });
  assert.equal(
    net.layers.map((l) => l.nCoarse),
    [12, 6, 3, 1],
  );
  assert.equal(
    net.layers.map((l) => l.tau),
    [null, 1, 2, 3],
  );
  const P = empiricalDense(st);
  const Q = ttnDense(net, { probability: true });
  const last = net.layers[net.layers.length - 1]!;
  assert.ok(Math.abs(last.kl! - klDivergence(P, Q)) < 1e-12);
  assert.ok(Math.abs(last.tv! - totalVariation(P, Q)) < 1e-12);
  assert.is(last.params, net.params);
  // layer 0 is the empirical distribution itself
  assert.is(net.layers[0]!.kl, 0);
  assert.ok(Math.abs(net.layers[0]!.entropy - shannonEntropy(P)) < 1e-12);
  assert.ok(Math.abs(net.layers[0]!.reconstructionEntropy! - shannonEntropy(P)) < 1e-12);
  assert.ok(Math.abs(last.reconstructionEntropy! - shannonEntropy(Q.map((x) => Math.max(x, 0)))) < 1e-12);
  // hard assignments to r_t states: the entropy is bounded by Σ ln r_t
  for (const l of net.layers) assert.ok(l.entropy <= l.bondDims.reduce((a, r) => a + Math.log(r), 0) + 1e-12);
  // KL grows (weakly) as layers add truncations
  for (let l = 1; l < net.layers.length; l++) assert.ok(net.layers[l]!.kl! >= net.layers[l - 1]!.kl! - 1e-12);
  // params: Σ r_left r_right r over internal nodes
  let p = 0;
  for (const nd of net.nodes) if (nd.left >= 0) p += net.nodes[nd.left]!.rank * net.nodes[nd.right]!.rank * nd.rank;
  assert.is(net.params, p);
});

test("an intermediate layer's KL/TV equal those of the projection by brute force", () => {
  const st = blockStates(300, 8, 4, 0.1, 6);
  const net = treeTensorNetwork(st, runsFlow(8, [4, 2]), { tol: 0.2 });
  // layer 1 coarse nodes: two blocks of 4; P̃ = (π_a ⊗ π_b) P with π from each node's dense basis
  const P = empiricalDense(st);
  const layer1 = net.nodes.filter((nd) => nd.layer === 1 && nd.sites.length === 4);
  assert.is(layer1.length, 2);
  // basis of a node over its 4 sites, from ttnEvaluate-free recursion: build it by brute force
  const basis = (id: number): number[][] => {
    const nd = net.nodes[id]!;
    if (nd.left < 0)
      return [
        [1, 0],
        [0, 1],
      ];
    const A = basis(nd.left);
    const B = basis(nd.right);
    const rows: number[][] = [];
    for (const a of A)
      for (const b of B) {
        const row = new Array(nd.rank).fill(0);
        for (let i = 0; i < a.length; i++)
          for (let j = 0; j < b.length; j++)
            for (let g = 0; g < nd.rank; g++) row[g] += a[i]! * b[j]! * nd.transfer![(i * b.length + j) * nd.rank + g]!;
        rows.push(row);
      }
    return rows;
  };
  const [U1, U2] = layer1.map((nd) => basis(nd.id));
  // K = U Uᵀ for each block; sites of the blocks are 0-3 and 4-7 in order
  const K = (U: number[][]) => U.map((r) => U.map((s) => r.reduce((acc, x, g) => acc + x * s[g]!, 0)));
  const K1 = K(U1!);
  const K2 = K(U2!);
  const Q = new Float64Array(256);
  for (let a = 0; a < 16; a++)
    for (let b = 0; b < 16; b++) {
      let v = 0;
      for (let c = 0; c < 16; c++) for (let d = 0; d < 16; d++) v += K1[a]![c]! * K2[b]![d]! * P[c * 16 + d]!;
      Q[a * 16 + b] = v;
    }
  const l1 = net.layers[1]!;
  assert.ok(Math.abs(l1.kl! - klDivergence(P, Q)) < 1e-12);
  assert.ok(Math.abs(l1.tv! - totalVariation(P, Q)) < 1e-12);
  assert.ok(l1.kl! > 0);
});

test("a product distribution gives rank-1 coarse variables and an exact network", () => {
  const n = 8;
  const p = [0.1, 0.5, 0.3, 0.9, 0.2, 0.7, 0.4, 0.6];
  const { states, weights } = support(n, (x) => x.reduce((a, xi, i) => a * (xi ? p[i]! : 1 - p[i]!), 1));
  const net = treeTensorNetwork(states, runsFlow(n, [2, 2, 2]), { weights, tol: 1e-3 });
  for (const nd of net.nodes) if (nd.left >= 0) assert.is(nd.rank, 1);
  assert.ok(maxAbsDiff(ttnDense(net), empiricalDense(states, { weights })) < 1e-14);
  assert.ok(net.relError < 1e-12);
});

test("non-contiguous groups, a flow with no steps (root merge) and one that ends in a single node", () => {
  const st = blockStates(300, 6, 2, 0.1, 7);
  const scattered: RGFlow = {
    n0: 6,
    stopReason: "test",
    steps: [
      {
        tau: 1,
        n: 2,
        groups: [
          [0, 3, 5],
          [4, 1, 2],
        ],
        assignment: Int32Array.from([0, 1, 1, 0, 1, 0]),
      },
    ],
  };
  const empty: RGFlow = { n0: 6, stopReason: "no peak", steps: [] };
  const single: RGFlow = {
    n0: 6,
    stopReason: "one node",
    steps: [{ tau: 2, n: 1, groups: [[0, 1, 2, 3, 4, 5]], assignment: new Int32Array(6) }],
  };
  const P = empiricalDense(st);
  for (const flow of [scattered, empty, single]) {
    const net = treeTensorNetwork(st, flow, { tol: 0 });
    assert.ok(maxAbsDiff(ttnDense(net), P) < 1e-13, flow.stopReason);
    assert.is(net.nodes[net.root]!.sites.length, 6);
    const v = ttnEvaluate(net, st);
    for (let t = 0; t < 30; t++) {
      let g = 0;
      for (let i = 0; i < 6; i++) g = g * 2 + st.data[t * 6 + i]!;
      assert.ok(Math.abs(v[t]! - P[g]!) < 1e-13);
    }
  }
  assert.is(treeTensorNetwork(st, empty).layers.length, 2);
  assert.is(treeTensorNetwork(st, single).layers.length, 2);
});

test("Born tree of a GHZ-like state: every coarse variable carries ln 2", () => {
  const n = 8;
  const data = new Uint8Array(2 * n);
  data.fill(1, n);
  const net = treeTensorNetwork({ T: 2, n, data }, runsFlow(n, [2, 2, 2]), { born: true });
  for (const nd of net.nodes) {
    if (nd.left < 0 || nd.id === net.root) continue;
    assert.is(nd.rank, 2);
    assert.ok(Math.abs(nd.entanglement - Math.LN2) < 1e-15);
  }
});

test("k-ary merges: one node per group, params = Π r_children · r_t, exact without truncation and within tolerance with it", () => {
  const st = blockStates(600, 12, 4, 0.1, 7);
  const flow = runsFlow(12, [4, 3]);
  const exact = treeTensorNetwork(st, flow, { tol: 0, born: true, kary: true });
  assert.ok(exact.relError < 1e-6, `${exact.relError}`); // √(‖T‖² − ‖T̃‖²): cancellation limits it to ~√ε
  const dense = ttnDense(exact, { probability: true });
  const P = empiricalDense(st);
  assert.ok(maxAbsDiff(dense, P) < 1e-12);
  // params: the truncated (non-internal) nodes' transfers, each Π r_children × r_t
  const top = exact.nodes.filter((nd) => nd.transfer && !nd.internal);
  assert.is(top.length, 4, "three 4-ary block nodes and one 3-ary root");
  let params = 0;
  for (const nd of top) params += nd.transfer!.length;
  assert.is(exact.params, params);
  for (const nd of top.slice(0, 3)) assert.is(nd.transfer!.length, 16 * nd.rank);
  // truncated: the error bound holds against enumeration
  const net = treeTensorNetwork(st, flow, { tol: 0.05, kary: true });
  const q = ttnDense(net);
  let e2 = 0;
  let p2 = 0;
  for (let i = 0; i < P.length; i++) {
    e2 += (P[i]! - q[i]!) ** 2;
    p2 += P[i]! ** 2;
  }
  assert.ok(Math.abs(Math.sqrt(e2 / p2) - net.relError) < 1e-9 && net.relError <= 0.05 + 1e-12, `${net.relError}`);
});

test("invalid arguments (one per check)", () => {
  const st = bernoulliStates(20, 4, 0.5, 1);
  const flow = runsFlow(4, [2]);
  throwsCode(() => treeTensorNetwork(st, null as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => treeTensorNetwork(st, runsFlow(5, [2])), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => treeTensorNetwork(st, { ...flow, steps: "x" } as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(
    () =>
      treeTensorNetwork(st, {
        n0: 4,
        stopReason: "",
        steps: [
          {
            tau: 1,
            n: 2,
            groups: [
              [0, 1],
              [1, 2, 3],
            ],
            assignment: new Int32Array(4),
          },
        ],
      }),
    DgrnRangeError,
    ErrorCode.INVALID_DATA,
  );
  throwsCode(
    () =>
      treeTensorNetwork(st, {
        n0: 4,
        stopReason: "",
        steps: [{ tau: 1, n: 2, groups: [[0, 1], [2]], assignment: new Int32Array(4) }],
      }),
    DgrnRangeError,
    ErrorCode.INVALID_DATA,
  );
  throwsCode(
    () =>
      treeTensorNetwork(st, {
        n0: 4,
        stopReason: "",
        steps: [
          {
            tau: 1,
            n: 2,
            groups: [
              [0, 1],
              [2, 7],
            ],
            assignment: new Int32Array(4),
          },
        ],
      }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  );
  throwsCode(
    () =>
      treeTensorNetwork(st, {
        n0: 4,
        stopReason: "",
        steps: [{ tau: 1, n: 2, groups: [[0, 1, 2, 3], []], assignment: new Int32Array(4) }],
      }),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  );
  throwsCode(
    () => treeTensorNetwork({ T: 1, n: 1, data: new Uint8Array(1) }, { n0: 1, steps: [], stopReason: "" }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  );
  throwsCode(() => treeTensorNetwork(st, flow, { tol: 2 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => treeTensorNetwork(st, flow, { maxBond: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => treeTensorNetwork(st, flow, { exact: "yes" } as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(
    () => treeTensorNetwork(st, flow, { order: [0, 1, 2, 3] } as never),
    DgrnRangeError,
    ErrorCode.INVALID_OPTION,
  );
  throwsCode(
    () => treeTensorNetwork(bernoulliStates(2, 25, 0.5, 1), runsFlow(25, [5]), { exact: true }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  );
  const net = treeTensorNetwork(st, flow);
  throwsCode(() => ttnDense({} as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => ttnEvaluate(net, bernoulliStates(2, 5, 0.5, 1)), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
});

test.run();
