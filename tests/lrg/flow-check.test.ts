// One RGFlow validator: the same bad flow is refused by every stage that
// takes a flow, with the same error class, code and message.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkFlow,
  coarseTrajectories,
  decodeFlow,
  entropyProductionFlow,
  treeTensorNetwork,
  DgrnError,
  ErrorCode,
  type BinaryStates,
  type RGFlow,
} from "../helpers/setup.ts";

const states: BinaryStates = {
  T: 8,
  n: 4,
  data: Uint8Array.from({ length: 32 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0)),
};
const labels = new Int32Array([0, 1, 0, 1, 0, 1, 0, 1]);
const step = (groups: number[][], assignment: number[], n = groups.length) => ({
  tau: 1,
  n,
  groups,
  assignment: new Int32Array(assignment),
});
const flow = (...steps: ReturnType<typeof step>[]): RGFlow => ({ n0: 4, stopReason: "one node", steps });

const stages: [string, (f: RGFlow) => unknown][] = [
  ["treeTensorNetwork", (f) => treeTensorNetwork(states, f)],
  ["coarseTrajectories", (f) => coarseTrajectories(states, f)],
  ["entropyProductionFlow", (f) => entropyProductionFlow(states, f, { surrogates: 0 })],
  ["decodeFlow", (f) => decodeFlow(states, f, labels, { folds: 2 })],
];

const bad: [string, unknown, string][] = [
  [
    "groups and assignment disagree",
    flow(
      step(
        [
          [0, 1],
          [2, 3],
        ],
        [0, 1, 0, 1],
      ),
    ),
    ErrorCode.INVALID_DATA,
  ],
  [
    "second step's assignment ignores the first",
    flow(
      step(
        [
          [0, 1],
          [2, 3],
        ],
        [0, 0, 1, 1],
      ),
      step([[1, 0]], [0, 0, 0, 1], 1),
    ),
    ErrorCode.INVALID_DATA,
  ],
  [
    "groups not a partition (a node twice)",
    flow(
      step(
        [
          [0, 1],
          [1, 2, 3],
        ],
        [0, 0, 1, 1],
      ),
    ),
    ErrorCode.INVALID_DATA,
  ],
  ["groups miss a node", flow(step([[0, 1], [2]], [0, 0, 1, 1])), ErrorCode.INVALID_DATA],
  [
    "n disagrees with groups",
    flow(
      step(
        [
          [0, 1],
          [2, 3],
        ],
        [0, 0, 1, 1],
        3,
      ),
    ),
    ErrorCode.SHAPE_MISMATCH,
  ],
  ["wrong n0", { n0: 5, stopReason: "x", steps: [] }, ErrorCode.SHAPE_MISMATCH],
  [
    "assignment not an Int32Array",
    flow({
      tau: 1,
      n: 2,
      groups: [
        [0, 1],
        [2, 3],
      ],
      assignment: [0, 0, 1, 1] as never,
    }),
    ErrorCode.INVALID_TYPE,
  ],
  ["not an object", "flow", ErrorCode.INVALID_TYPE],
];

test("a good flow passes the validator and every stage", () => {
  const f = flow(
    step(
      [
        [0, 1],
        [2, 3],
      ],
      [0, 0, 1, 1],
    ),
    step([[1, 0]], [0, 0, 0, 0], 1),
  );
  assert.is(checkFlow("flow", f, 4), f);
  for (const [, run] of stages) run(f);
});

for (const [what, f, code] of bad) {
  test(`${what}: every stage refuses it alike (${code})`, () => {
    let reference: { cls: string; code: string; message: string } | null = null;
    try {
      checkFlow("flow", f, 4);
    } catch (e) {
      reference = { cls: (e as Error).constructor.name, code: (e as DgrnError).code, message: (e as Error).message };
    }
    assert.ok(reference, "the validator refuses it");
    assert.is(reference!.code, code, reference!.message);
    for (const [name, run] of stages) {
      let got: { cls: string; code: string; message: string } | null = null;
      try {
        run(f as RGFlow);
      } catch (e) {
        assert.ok(e instanceof DgrnError, `${name}: ${e}`);
        got = { cls: (e as Error).constructor.name, code: (e as DgrnError).code, message: (e as Error).message };
      }
      assert.equal(got, reference, name);
    }
  });
}

test.run();
