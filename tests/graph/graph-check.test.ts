// One Graph validator: the same bad graph is refused by every stage that
// takes a graph, with the same error class, code and message.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkGraph,
  detectCommunities,
  laplacianRG,
  latentDiffusion,
  laplacianSpectrum,
  DgrnError,
  ErrorCode,
  type Graph,
} from "../helpers/setup.ts";

const good: Graph = {
  n: 4,
  directed: true,
  source: Int32Array.of(0, 1, 2, 3),
  target: Int32Array.of(1, 2, 3, 0),
  weight: Float64Array.of(1, 2, 1, 2),
};
const stages: [string, (g: Graph) => unknown][] = [
  ["laplacianRG", (g) => laplacianRG(g)],
  ["laplacianSpectrum", (g) => laplacianSpectrum(g)],
  ["latentDiffusion", (g) => latentDiffusion(g)],
  ["detectCommunities", (g) => detectCommunities(g, { seed: 1 })],
];
const bad: [string, unknown, string][] = [
  ["a node id outside [0, n)", { ...good, source: Int32Array.of(0, 1, 2, 9) }, ErrorCode.OUT_OF_RANGE],
  ["a negative weight", { ...good, weight: Float64Array.of(1, -2, 1, 2) }, ErrorCode.OUT_OF_RANGE],
  ["a NaN weight", { ...good, weight: Float64Array.of(1, NaN, 1, 2) }, ErrorCode.NOT_FINITE],
  ["weights of the wrong length", { ...good, weight: Float64Array.of(1) }, ErrorCode.SHAPE_MISMATCH],
  ["plain arrays instead of typed ones", { ...good, source: [0, 1, 2, 3] }, ErrorCode.INVALID_TYPE],
  ["not an object", 7, ErrorCode.INVALID_TYPE],
];

test("a good graph passes every stage", () => {
  for (const [, run] of stages) run(good);
});

for (const [what, g, code] of bad) {
  test(`${what}: every stage refuses it alike (${code})`, () => {
    let ref: [string, string, string] | null = null;
    try {
      checkGraph("graph", g, { nonnegative: true });
    } catch (e) {
      ref = [(e as Error).constructor.name, (e as DgrnError).code, (e as Error).message];
    }
    assert.ok(ref);
    assert.is(ref![1], code, ref![2]);
    for (const [name, run] of stages) {
      let got: [string, string, string] | null = null;
      try {
        run(g as Graph);
      } catch (e) {
        got = [(e as Error).constructor.name, (e as DgrnError).code, (e as Error).message];
      }
      assert.equal(got, ref, name);
    }
  });
}

test.run();
