// The probing ρ of the flow at scale (sdk/lrg/flowscale.ts: distanceColouring,
// probePlan, rhoProbing): heat-kernel entries on the diagonal and the edges from
// a Chebyshev action on colour indicators, against the dense e^{−τL} (eigh), on
// tori and a Barabási–Albert graph; the colouring against breadth-first distances.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import "../helpers/setup.js";
import type { Graph } from "../helpers/setup.js";
import { distanceColouring, probePlan, rhoProbing, PROBE_MAX_COLOURS } from "../../sdk/lrg/flowscale.js";
import { denseLaplacian, symEdges, type SymEdges } from "../../sdk/lrg/graph.js";
import { rhoPrimePartition } from "../../sdk/lrg/supernodes.js";
import { eigh } from "../../sdk/linalg/eigh.js";
import { fromEdges, torus } from "./graphs.js";

const test = suite("lrg/probing");

/** Barabási–Albert, m edges per new node, preferential by a deterministic LCG (test data only). */
function barabasiAlbert(n: number, m: number, seed: number): Graph {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
  const edges: Array<[number, number]> = [];
  const ends: number[] = [];
  for (let a = 0; a <= m; a++)
    for (let b = a + 1; b <= m; b++) {
      edges.push([a, b]);
      ends.push(a, b);
    }
  for (let v = m + 1; v < n; v++) {
    const chosen = new Set<number>();
    while (chosen.size < m) chosen.add(ends[Math.floor(u() * ends.length)]!);
    for (const w of chosen) {
      edges.push([v, w]);
      ends.push(v, w);
    }
  }
  return fromEdges(n, edges);
}

/** Dense e^{−τL} by eigh (the reference). */
function denseRho(g: SymEdges, tau: number): (i: number, j: number) => number {
  const n = g.n;
  const { values, vectors } = eigh(denseLaplacian(g), { vectors: true });
  const V = vectors!.data;
  const mu = values.map((l) => Math.exp(-tau * l));
  return (i, j) => {
    let s = 0;
    for (let c = 0; c < n; c++) s += V[i * n + c]! * mu[c]! * V[j * n + c]!;
    return s;
  };
}

function checkAgainstDense(g: SymEdges, tau: number, label: string): { colours: number; worst: number } {
  const plan = probePlan(g, tau);
  assert.ok(plan, `${label}: a plan`);
  const r = rhoProbing(g, plan!, 16);
  const ex = denseRho(g, tau);
  let worst = 0;
  for (let i = 0; i < g.n; i++) worst = Math.max(worst, Math.abs(r.diag[i]! - ex(i, i)));
  for (let e = 0; e < g.i.length; e++) worst = Math.max(worst, Math.abs(r.pair[e]! - ex(g.i[e]!, g.j[e]!)));
  // the tail bound (≤ 1e-12/n) plus rounding in the recurrence and in the dense reference
  assert.ok(worst < 1e-12, `${label}: largest |ρ − ρ_dense| = ${worst}`);
  return { colours: plan!.colouring.count, worst };
}

test("torus 20² at the lattice scale τ = 1.24: probing ρ equals the dense e^{−τL} to 1e-12", () => {
  const g = symEdges("g", torus(20, 20));
  checkAgainstDense(g, 1.24, "torus 20²");
});

test("torus 40² at τ = 0.3: fewer colours than nodes (a true probing), entries exact to 1e-12, same supernodes", () => {
  const g = symEdges("g", torus(40, 40));
  const { colours } = checkAgainstDense(g, 0.3, "torus 40²");
  assert.ok(colours < g.n / 2, `colours ${colours} of ${g.n}`);
  // the ρ′ partition from the probing ρ is the dense one
  const plan = probePlan(g, 0.3)!;
  const p = rhoPrimePartition(g.n, rhoProbing(g, plan, 32));
  const ex = denseRho(g, 0.3);
  const diag = Float64Array.from({ length: g.n }, (_, i) => ex(i, i));
  const pair = Float64Array.from({ length: g.i.length }, (_, e) => ex(g.i[e]!, g.j[e]!));
  const q = rhoPrimePartition(g.n, { diag, pi: g.i, pj: g.j, pair });
  assert.is(p.count, q.count);
  assert.equal(Array.from(p.labels), Array.from(q.labels));
});

test("Barabási–Albert m = 3, 500 nodes, τ = 1: probing ρ equals the dense e^{−τL} to 1e-12", () => {
  const g = symEdges("g", barabasiAlbert(500, 3, 7));
  checkAgainstDense(g, 1, "BA 500");
  // a hub graph is not local: with a small colour budget there is no plan
  assert.is(probePlan(g, 1, 64), null);
});

test("distance colouring: nodes of one colour are more than R apart (breadth-first check)", () => {
  const g = symEdges("g", torus(30, 30));
  const R = 5;
  const col = distanceColouring(g, R, PROBE_MAX_COLOURS)!;
  // at least the size of a set with pairwise distances ≤ R: the ball of radius ⌊R/2⌋ (2h² + 2h + 1 nodes)
  const h = Math.floor(R / 2);
  assert.ok(col && col.count >= 2 * h * h + 2 * h + 1, `count ${col.count}`);
  const adj: number[][] = Array.from({ length: g.n }, () => []);
  for (let e = 0; e < g.i.length; e++) {
    adj[g.i[e]!]!.push(g.j[e]!);
    adj[g.j[e]!]!.push(g.i[e]!);
  }
  for (let v = 0; v < g.n; v += 7) {
    const dist = new Int32Array(g.n).fill(-1);
    dist[v] = 0;
    const q = [v];
    for (let h = 0; h < q.length; h++)
      for (const w of adj[q[h]!]!)
        if (dist[w]! < 0) {
          dist[w] = dist[q[h]!]! + 1;
          q.push(w);
        }
    for (let u = 0; u < g.n; u++)
      if (u !== v && col.colour[u] === col.colour[v]) assert.ok(dist[u]! > R, `${u} and ${v} at ${dist[u]}`);
  }
});

test.run();
