// Small graph builders for the lrg tests.
import type { Graph } from "../helpers/setup.js";

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

/** An a × b periodic lattice (torus); its spectrum is 4 − 2cos(2πp/a) − 2cos(2πq/b). */
export function torus(a: number, b: number): Graph {
  const e: Array<[number, number]> = [];
  for (let x = 0; x < a; x++) {
    for (let y = 0; y < b; y++) {
      const i = x * b + y;
      e.push([i, ((x + 1) % a) * b + y], [i, x * b + ((y + 1) % b)]);
    }
  }
  return fromEdges(a * b, e);
}

export function torusSpectrum(a: number, b: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < a; p++)
    for (let q = 0; q < b; q++) out.push(4 - 2 * Math.cos((2 * Math.PI * p) / a) - 2 * Math.cos((2 * Math.PI * q) / b));
  return out.sort((x, y) => x - y);
}
