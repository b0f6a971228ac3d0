// Graph builders for the lrg tests and benchmarks (benchmarks/lrg*.bench.ts import
// the large ones: torus and barabasiAlbert build typed arrays directly, so a
// 10⁶-node graph costs only its edge arrays).
import { randomUniform } from "../../sdk/random/index.js";
import type { Graph } from "../../sdk/types.js";

export function fromEdges(n: number, edges: Array<[number, number, number?]>, directed = false): Graph {
  return {
    n,
    directed,
    source: Int32Array.from(edges.map((e) => e[0])),
    target: Int32Array.from(edges.map((e) => e[1])),
    weight: Float64Array.from(edges.map((e) => e[2] ?? 1)),
  };
}

export function complete(n: number): Graph {
  const e: Array<[number, number]> = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) e.push([a, b]);
  return fromEdges(n, e);
}

export function star(n: number): Graph {
  return fromEdges(
    n,
    Array.from({ length: n - 1 }, (_, i) => [0, i + 1] as [number, number]),
  );
}

export function path(n: number): Graph {
  return fromEdges(
    n,
    Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]),
  );
}

export function cycle(n: number): Graph {
  return fromEdges(
    n,
    Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]),
  );
}

/** c cliques of m nodes; clique q's last node joined to clique q+1's first (ring: also the last to the first). */
export function cliques(c: number, m: number, join: "none" | "chain" | "ring"): Graph {
  const e: Array<[number, number]> = [];
  for (let q = 0; q < c; q++)
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) e.push([q * m + a, q * m + b]);
  const links = join === "none" ? 0 : join === "chain" ? c - 1 : c;
  for (let q = 0; q < links; q++) e.push([q * m + m - 1, ((q + 1) % c) * m]);
  return fromEdges(c * m, e);
}

/** An undirected unit-weight graph from a flat edge list [s0, t0, s1, t1, …]. */
export function flatEdges(n: number, e: ArrayLike<number>): Graph {
  const m = e.length / 2;
  const s = new Int32Array(m),
    t = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    s[k] = e[2 * k]!;
    t[k] = e[2 * k + 1]!;
  }
  return { n, directed: false, source: s, target: t, weight: new Float64Array(m).fill(1) };
}

/** An a × b periodic lattice (torus); its spectrum is 4 − 2cos(2πp/a) − 2cos(2πq/b). */
export function torus(a: number, b: number): Graph {
  const e = new Int32Array(4 * a * b);
  let k = 0;
  for (let x = 0; x < a; x++) {
    for (let y = 0; y < b; y++) {
      const i = x * b + y;
      e[k++] = i;
      e[k++] = ((x + 1) % a) * b + y;
      e[k++] = i;
      e[k++] = x * b + ((y + 1) % b);
    }
  }
  return flatEdges(a * b, e);
}

/** Barabási–Albert: a clique of m + 1 nodes, then each new node joins m distinct ends drawn by degree (seeded). */
export function barabasiAlbert(n: number, m: number, seed: number): Graph {
  const u = randomUniform(n * m * 4, { seed });
  let ui = 0;
  const e: number[] = [];
  const ends: number[] = [];
  for (let a = 0; a <= m; a++) for (let b = a + 1; b <= m; b++) (e.push(a, b), ends.push(a, b));
  for (let v = m + 1; v < n; v++) {
    const chosen = new Set<number>();
    while (chosen.size < m) chosen.add(ends[Math.floor(u[ui++ % u.length]! * ends.length)]!);
    for (const w of chosen) (e.push(v, w), ends.push(v, w));
  }
  return flatEdges(n, e);
}

export function torusSpectrum(a: number, b: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < a; p++)
    for (let q = 0; q < b; q++) out.push(4 - 2 * Math.cos((2 * Math.PI * p) / a) - 2 * Math.cos((2 * Math.PI * q) / b));
  return out.sort((x, y) => x - y);
}
