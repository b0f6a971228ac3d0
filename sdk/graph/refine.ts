/**
 * Community refinement against modularity's resolution limit (issue 13).
 *
 * @module
 */
import type { Graph } from "../types.js";
import { detectCommunities } from "./communities.js";

/** Modularity (on its own induced subgraph) above which a community is split in {@link refineCommunities}. */
export const SPLIT_MODULARITY = 0.25;

/**
 * Split communities that modularity's resolution limit merged (ours): Leiden
 * on each community's induced subgraph; where that finds ≥ 2 parts with
 * modularity ≥ {@link SPLIT_MODULARITY} on the subgraph and at least two
 * parts of ≥ 4 nodes (measured on the xcorr graphs of the issue 13 grid at
 * K = 50: merged pairs or triples of clusters 0.28–0.48, single clusters
 * 0.01–0.19; on the default network's single clusters ≤ 0.06), the
 * community is replaced by the parts, and the parts are checked again. With
 * many small clusters (K = 50 clusters of 40 observed units) whole-graph
 * modularity merges pairs of clusters (Fortunato & Barthélemy, PNAS 104, 36
 * (2007)); the default network has no community above the level, so its
 * labels are the plain Leiden ones. Labels are renumbered 0..K−1 in order of
 * first appearance (Leiden's own numbering when nothing is split). Used by
 * {@link inferGraph}'s method "partial" for the communities it conditions on.
 *
 * @param graph - the graph the communities were found on (nonnegative weights)
 * @param labels - community of each node
 * @param seed - Leiden seed of the subgraph runs
 * @param minModularity - split level (default {@link SPLIT_MODULARITY})
 * @returns refined labels, 0..K'−1, K' ≥ K
 * @example
 * ```ts
 * const coarse = detectCommunities(g, { seed: 1 }).labels;
 * const fine = refineCommunities(g, coarse, 1);
 * ```
 */
export function refineCommunities(
  graph: Graph,
  labels: ArrayLike<number>,
  seed: number,
  minModularity = SPLIT_MODULARITY,
): Int32Array {
  const n = graph.n;
  const out = Int32Array.from(labels as ArrayLike<number>);
  let next = 0;
  for (let i = 0; i < n; i++) next = Math.max(next, out[i]! + 1);
  const queue: number[] = [...new Set(out)];
  const local = new Int32Array(n).fill(-1);
  for (let guard = 0; queue.length > 0 && guard < 4 * n; guard++) {
    const c = queue.pop()!;
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (out[i] === c) members.push(i);
    if (members.length < 4) continue;
    members.forEach((v, k) => (local[v] = k));
    const src: number[] = [],
      tgt: number[] = [],
      w: number[] = [];
    for (let e = 0; e < graph.source.length; e++) {
      const a = local[graph.source[e]!]!,
        b = local[graph.target[e]!]!;
      if (a >= 0 && b >= 0) (src.push(a), tgt.push(b), w.push(graph.weight[e]!));
    }
    for (const v of members) local[v] = -1;
    if (src.length === 0) continue;
    const sub = detectCommunities(
      {
        n: members.length,
        directed: graph.directed,
        source: Int32Array.from(src),
        target: Int32Array.from(tgt),
        weight: Float64Array.from(w),
      },
      { seed },
    );
    if (sub.count < 2 || !(sub.modularity >= minModularity)) continue;
    // At least two parts of ≥ 4 nodes (a handful of nodes always splits with some modularity).
    const sizes = new Map<number, number>();
    for (const p of sub.labels) sizes.set(p, (sizes.get(p) ?? 0) + 1);
    if ([...sizes.values()].filter((z) => z >= 4).length < 2) continue;
    // Part 0 keeps the label c; the others get new labels; every part is checked again.
    const fresh = new Map<number, number>();
    members.forEach((v, k) => {
      const p = sub.labels[k]!;
      if (p !== sub.labels[0]) {
        let l = fresh.get(p);
        if (l === undefined) fresh.set(p, (l = next++));
        out[v] = l;
      }
    });
    queue.push(c, ...fresh.values());
  }
  const map = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let l = map.get(out[i]!);
    if (l === undefined) map.set(out[i]!, (l = map.size));
    out[i] = l;
  }
  return out;
}
