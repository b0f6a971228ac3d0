/**
 * Coarse trajectories: the block variable of every supernode at every RG step.
 *
 * @module
 */
import type { BinaryStates, RGFlow } from "../types.js";
import { checkOneOf, checkOptions } from "../validate.js";
import { checkFlow } from "./trajectory.js";
import { checkStates as checkBinaryStates } from "../io/check.js";
import type { FractionStates } from "./types.js";

/** Block rules: "any" (default), "majority", "fraction". */
export type CoarseRule = "any" | "majority" | "fraction";

/** Options of {@link coarseTrajectories}. */
export interface CoarseOptions {
  /**
   * How a supernode's members make its block variable: "any" (active if any
   * member is active; the default), "majority" (active if more than half of its
   * members are), "fraction" (the fraction of active members, a number).
   */
  rule?: CoarseRule;
}

const RULES: readonly CoarseRule[] = ["any", "majority", "fraction"];

/**
 * The coarse trajectory of every RG step: for step s with M_s supernodes, y(t) ∈
 * {0,1}^{M_s} (or fractions in [0, 1]), computed from the level-0 members given
 * by `step.assignment` (so "majority" is a majority of the original units, not
 * of the previous step's blocks).
 *
 * @param states - binary states, T × n0 (n0 = `flow.n0`)
 * @param flow - the RG flow (one entry per step)
 * @param options - `rule` ("any" | "majority" | "fraction"; default "any")
 * @returns one BinaryStates per step (T × M_s, `neuronIds` = supernode index); FractionStates with `rule: "fraction"`
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `states` or `flow` is not of its kind
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `flow.n0` or an assignment's length differs from `states.n`
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` for an unknown option or rule; `ERR_INVALID_DATA` for an entry outside 0/1 or an assignment out of range
 * @example
 * ```ts
 * await init();
 * const states = { T: 2, n: 4, data: new Uint8Array([1, 0, 0, 0, 1, 1, 0, 1]) };
 * const flow = { n0: 4, stopReason: "given", steps: [{ tau: 1, n: 2, groups: [[0, 1], [2, 3]], assignment: new Int32Array([0, 0, 1, 1]) }] };
 * coarseTrajectories(states, flow)[0].data; // Uint8Array [1, 0, 1, 1]
 * coarseTrajectories(states, flow, { rule: "fraction" })[0].data; // Float64Array [0.5, 0, 1, 0.5]
 * ```
 */
export function coarseTrajectories(
  states: BinaryStates,
  flow: RGFlow,
  options?: { rule?: "any" | "majority" },
): BinaryStates[];
export function coarseTrajectories(states: BinaryStates, flow: RGFlow, options: { rule: "fraction" }): FractionStates[];
export function coarseTrajectories(
  states: BinaryStates,
  flow: RGFlow,
  options?: CoarseOptions,
): BinaryStates[] | FractionStates[];
export function coarseTrajectories(
  states: BinaryStates,
  flow: RGFlow,
  options?: CoarseOptions,
): BinaryStates[] | FractionStates[] {
  const o = checkOptions<CoarseOptions>("options", options, ["rule"]);
  const rule = o.rule === undefined ? "any" : checkOneOf("options.rule", o.rule, RULES);
  const x = checkBinaryStates("states", states);
  const f = checkFlow("flow", flow, x.n);
  const out: Array<BinaryStates | FractionStates> = [];
  for (const step of f.steps) out.push(coarseStep(x, step.assignment, step.n, rule));
  return out as BinaryStates[] | FractionStates[];
}

/** One step's block variables from a level-0 assignment (inputs already checked). */
export function coarseStep(
  x: BinaryStates,
  assignment: Int32Array,
  m: number,
  rule: CoarseRule,
): BinaryStates | FractionStates {
  const { T, n, data } = x;
  const sizes = new Int32Array(m);
  for (let j = 0; j < n; j++) sizes[assignment[j]!]!++;
  const cnt = new Int32Array(m);
  const ids = new Int32Array(m);
  for (let j = 0; j < m; j++) ids[j] = j;
  if (rule === "fraction") {
    const out = new Float64Array(T * m);
    for (let t = 0; t < T; t++) {
      cnt.fill(0);
      const row = t * n;
      for (let j = 0; j < n; j++) if (data[row + j]) cnt[assignment[j]!]!++;
      for (let g = 0; g < m; g++) out[t * m + g] = sizes[g]! > 0 ? cnt[g]! / sizes[g]! : 0;
    }
    return { kind: "fraction", T, n: m, data: out, sizes };
  }
  const out = new Uint8Array(T * m);
  const majority = rule === "majority";
  for (let t = 0; t < T; t++) {
    cnt.fill(0);
    const row = t * n;
    for (let j = 0; j < n; j++) if (data[row + j]) cnt[assignment[j]!]!++;
    for (let g = 0; g < m; g++) out[t * m + g] = (majority ? 2 * cnt[g]! > sizes[g]! : cnt[g]! > 0) ? 1 : 0;
  }
  return { T, n: m, data: out, neuronIds: ids };
}
