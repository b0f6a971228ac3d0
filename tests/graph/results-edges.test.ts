// results.json's edge list of the graph stage: every edge up to RESULTS_EDGE_CAP,
// beyond it the heaviest (weight desc, source asc, target asc) in their original
// order, and `edgesOmitted` the count left out (brute force on a synthetic graph).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { randomUniform } from "../helpers/setup.js";
import { RESULTS_EDGE_CAP, resultsEdges } from "../../sdk/pipeline/stages.js";

const test = suite("graph/results-edges");

test("at most RESULTS_EDGE_CAP edges: all of a small graph, the heaviest of a large one", () => {
  const small = {
    n: 3,
    directed: true,
    source: Int32Array.of(0, 1, 2),
    target: Int32Array.of(1, 2, 0),
    weight: Float64Array.of(3, 1, 2),
  };
  const r = resultsEdges(small);
  assert.equal(r.edges, [
    [0, 1, 3],
    [1, 2, 1],
    [2, 0, 2],
  ]);
  assert.is(r.edgesOmitted, undefined);

  const E = RESULTS_EDGE_CAP + 1234;
  const n = 2000;
  const u = randomUniform(3 * E, { seed: 3 });
  const source = new Int32Array(E),
    target = new Int32Array(E),
    weight = new Float64Array(E);
  for (let e = 0; e < E; e++) {
    source[e] = Math.floor(u[3 * e]! * n);
    target[e] = Math.floor(u[3 * e + 1]! * n);
    // few distinct weights: ties broken by source, then target
    weight[e] = 2 + Math.floor(u[3 * e + 2]! * 50) / 10;
  }
  const big = resultsEdges({ n, directed: true, source, target, weight });
  assert.is(big.edges.length, RESULTS_EDGE_CAP);
  assert.is(big.edgesOmitted, 1234);
  const order = Array.from({ length: E }, (_, e) => e).sort(
    (a, b) => weight[b]! - weight[a]! || source[a]! - source[b]! || target[a]! - target[b]! || a - b,
  );
  const kept = order.slice(0, RESULTS_EDGE_CAP).sort((a, b) => a - b);
  assert.equal(
    big.edges.slice(0, 50),
    kept.slice(0, 50).map((e) => [source[e], target[e], weight[e]]),
  );
  for (let q = 0; q < kept.length; q++) {
    const e = kept[q]!,
      row = big.edges[q]!;
    if (row[0] !== source[e] || row[1] !== target[e] || row[2] !== weight[e]) assert.unreachable(`edge ${q}`);
  }
});

test.run();
