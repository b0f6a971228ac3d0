// Community order vs random orders on the embedded LIF network (LIF_DEFAULTS,
// shortened to 5 s to keep the suite fast): the community order found by the
// graph stage (inferGraph → detectCommunities → communityOrder) needs fewer
// tensor-train parameters at the same tolerance than any of 8 seeded random orders.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  simulateLIF,
  binSpikes,
  binarize,
  tensorTrain,
  randomPermutation,
  inferGraph,
  detectCommunities,
  communityOrder,
  laplacianRG,
  treeTensorNetwork,
  ttnDense,
  empiricalDense,
  type BinaryStates,
} from "../helpers/setup.js";

const test = suite("tn/lif-order");

/** 3 excitatory neurons from each of 6 clusters, columns in a seeded scrambled layout. */
function observed(): { states: BinaryStates; clusters: number[] } {
  const sim = simulateLIF({ duration: 5 });
  const st = binarize(binSpikes(sim.spikes, { binSize: 0.01 }));
  const cl = sim.truth.clusters;
  const pick: number[] = [];
  for (let c = 0; c < 6; c++) {
    let k = 0;
    for (let i = 0; i < cl.length && k < 3; i++) if (cl[i] === c) (pick.push(i), k++);
  }
  const cols = Array.from(randomPermutation(pick.length, { seed: 7 }), (p) => pick[p]!);
  const n = cols.length;
  const data = new Uint8Array(st.T * n);
  for (let t = 0; t < st.T; t++) for (let j = 0; j < n; j++) data[t * n + j] = st.data[t * st.n + cols[j]!]!;
  return { states: { T: st.T, n, data }, clusters: cols.map((c) => cl[c]!) };
}

test("community order beats 8 random orders in total parameters at ε = 0.05", () => {
  const { states, clusters } = observed();
  const g = inferGraph(states, { seed: 1 });
  const order = communityOrder(g, detectCommunities(g, { seed: 1 }).labels);
  // the order makes each true cluster contiguous (so the comparison is about the order, not luck)
  const pos = new Int32Array(states.n);
  order.forEach((c, p) => (pos[c] = p));
  for (let c = 0; c < 6; c++) {
    const ps = clusters.flatMap((k, i) => (k === c ? [pos[i]!] : []));
    assert.is(Math.max(...ps) - Math.min(...ps), ps.length - 1, `cluster ${c} not contiguous`);
  }
  const tol = 0.05;
  const ours = tensorTrain(states, { tol, maxBond: 512, order });
  const random = [1, 2, 3, 4, 5, 6, 7, 8].map((s) =>
    tensorTrain(states, { tol, maxBond: 512, order: randomPermutation(states.n, { seed: 100 + s }) }),
  );
  for (const r of random) {
    assert.ok(ours.params < r.params, `community ${ours.params} vs random ${r.params}`);
    assert.ok(r.relError <= tol);
  }
  assert.ok(ours.relError <= tol);
});

test("the tree follows the LRG flow of the inferred graph (pipeline integration)", () => {
  const { states } = observed();
  const g = inferGraph(states, { seed: 1 });
  // mode elimination coarse-grains this graph (the ρ′ rule finds it a fixed point)
  const flow = laplacianRG(g, { rule: "modes" }).flow;
  assert.is(flow.n0, states.n);
  assert.ok(flow.steps.length >= 1);
  const net = treeTensorNetwork(states, flow, { tol: 0.05, maxBond: 256 });
  // one layer per RG step that ran, plus layer 0 and possibly a root merge
  assert.ok(net.layers.length >= flow.steps.length + 1);
  for (let s = 0; s < flow.steps.length && s + 1 < net.layers.length; s++) {
    if (net.layers[s + 1]!.tau === null) break;
    assert.is(net.layers[s + 1]!.nCoarse, flow.steps[s]!.n);
  }
  assert.is(net.layers[net.layers.length - 1]!.nCoarse, 1);
  // the error bound holds and the reported error is the enumerated one (n = 18)
  const P = empiricalDense(states);
  const Q = ttnDense(net);
  let e = 0;
  let p2 = 0;
  for (let i = 0; i < P.length; i++) {
    e += (P[i]! - Q[i]!) ** 2;
    p2 += P[i]! ** 2;
  }
  assert.ok(Math.sqrt(e / p2) <= 0.05 + 1e-12);
  assert.ok(Math.abs(Math.sqrt(e / p2) - net.relError) < 1e-9);
});

test.run();
