/**
 * The one validator of an {@link RGFlow}, used by every stage that takes a
 * flow (the tree tensor network, coarse trajectories, entropy production,
 * decoding), so a flow is accepted or refused, and read, the same way
 * everywhere.
 *
 * @module
 */
import { DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import type { RGFlow } from "../types.js";
import { checkInteger, message } from "../validate.js";

/**
 * Check an RG flow over `n0` level-0 nodes: every step's `groups` partition the
 * previous level's nodes, `n` = groups.length, and `assignment` (level-0 node →
 * supernode) is exactly what the groups imply, so a stage that reads groups and
 * one that reads assignments coarse-grain alike.
 *
 * @param name - the argument's name, for messages
 * @param value - the flow
 * @param n0 - the number of level-0 nodes the caller has (states columns, graph nodes)
 * @returns the flow, unchanged
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a value that is not a flow (steps, groups, assignment of the wrong kind)
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `n0`, a step's `n` or an assignment's length does not agree
 * @throws {DgrnRangeError} `ERR_INVALID_DATA` when groups are not a partition or disagree with the assignment; `ERR_OUT_OF_RANGE` for an index outside its level
 * @example
 * ```ts
 * const flow = { n0: 4, stopReason: "one node", steps: [
 *   { tau: 1, n: 2, groups: [[0, 1], [2, 3]], assignment: new Int32Array([0, 0, 1, 1]) }] };
 * checkFlow("flow", flow, 4); // returns the flow
 * ```
 */
export function checkFlow(name: string, value: unknown, n0: number): RGFlow {
  if (value === null || typeof value !== "object")
    throw new DgrnTypeError(message(name, "an RGFlow { n0, steps, stopReason }", value));
  const f = value as RGFlow;
  const fn0 = checkInteger(`${name}.n0`, f.n0, { min: 0 });
  if (fn0 !== n0) throw new DgrnShapeError(message(`${name}.n0`, `the number of level-0 nodes (${n0})`, fn0));
  if (!Array.isArray(f.steps)) throw new DgrnTypeError(message(`${name}.steps`, "an array of RG steps", f.steps));
  let prev = n0;
  let prevAssign = Int32Array.from({ length: n0 }, (_, i) => i);
  f.steps.forEach((st, s) => {
    const sn = `${name}.steps[${s}]`;
    if (st === null || typeof st !== "object" || !Array.isArray(st.groups)) {
      throw new DgrnTypeError(
        message(`${sn}.groups`, "an array of groups", (st as { groups?: unknown } | null)?.groups),
      );
    }
    const m = checkInteger(`${sn}.n`, st.n, { min: 1 });
    if (st.groups.length !== m)
      throw new DgrnShapeError(message(`${sn}.groups.length`, `${sn}.n = ${m}`, st.groups.length));
    const groupOf = new Int32Array(prev).fill(-1);
    let count = 0;
    st.groups.forEach((g: readonly number[], j: number) => {
      if (!Array.isArray(g) || g.length === 0)
        throw new DgrnTypeError(message(`${sn}.groups[${j}]`, "a nonempty array of node indices", g));
      for (const i of g) {
        checkInteger(`${sn}.groups[${j}][]`, i, { min: 0, max: prev - 1 });
        if (groupOf[i] !== -1)
          throw new DgrnRangeError(
            message(`${sn}.groups`, "a partition of the previous level's nodes", `node ${i} twice`),
            ErrorCode.INVALID_DATA,
          );
        groupOf[i] = j;
        count++;
      }
    });
    if (count !== prev)
      throw new DgrnRangeError(
        message(`${sn}.groups`, `a partition of all ${prev} nodes of the previous level`, `${count} nodes`),
        ErrorCode.INVALID_DATA,
      );
    if (!(st.assignment instanceof Int32Array))
      throw new DgrnTypeError(message(`${sn}.assignment`, "an Int32Array", st.assignment));
    if (st.assignment.length !== n0)
      throw new DgrnShapeError(message(`${sn}.assignment.length`, `${n0}`, st.assignment.length));
    for (let i = 0; i < n0; i++) {
      const want = groupOf[prevAssign[i]!]!;
      if (st.assignment[i] !== want) {
        throw new DgrnRangeError(
          message(
            `${sn}.assignment[${i}]`,
            `the supernode its groups imply (${want}: node ${i} was in node ${prevAssign[i]} of the previous level)`,
            st.assignment[i],
          ),
          ErrorCode.INVALID_DATA,
        );
      }
    }
    prev = m;
    prevAssign = st.assignment;
  });
  return f;
}
