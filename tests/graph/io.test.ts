import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import {
  readGraph,
  graphToJSON,
  DgrnFormatError,
  DgrnRangeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";
import type { Graph } from "../helpers/setup.js";

const test = suite("graph/io");
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/graph/${name}`, import.meta.url)));
const edges = (g: Graph) => Array.from(g.source, (s, e) => [s, g.target[e]!, g.weight[e]!]);

test("CSV with and without header, comments, tabs, default weight 1, n = max id + 1", () => {
  const g = readGraph("source,target,weight\n0,1,0.5\n# note\n\n1,2,2\n");
  assert.is(g.n, 3);
  assert.is(g.directed, true);
  assert.equal(edges(g), [
    [0, 1, 0.5],
    [1, 2, 2],
  ]);
  const h = readGraph(new TextEncoder().encode("2\t0\n0,3\n"), { n: 5 });
  assert.is(h.n, 5);
  assert.equal(edges(h), [
    [2, 0, 1],
    [0, 3, 1],
  ]);
});

test("JSON: n, edges, directed, nodes; round trip through graphToJSON", () => {
  const g = readGraph('{"n": 4, "edges": [[0, 1, 1.5], [3, 2, 0.25]], "directed": false, "nodes": [10, 11, 12, 13]}');
  assert.is(g.n, 4);
  assert.is(g.directed, false);
  assert.equal(edges(g), [
    [0, 1, 1.5],
    [2, 3, 0.25],
  ]);
  assert.equal(Array.from(g.nodeIds!), [10, 11, 12, 13]);
  const j = graphToJSON(g, { modularity: 0.25, communities: new Int32Array([0, 0, 1, 1]) });
  assert.equal(j.communities, [0, 0, 1, 1]);
  const back = readGraph(JSON.stringify(j));
  assert.equal(edges(back), edges(g));
  assert.equal(Array.from(back.nodeIds!), [10, 11, 12, 13]);
  assert.is(back.directed, false);
});

test("NPY dense adjacency from numpy: f8, f4, big-endian, Fortran-order i4, symmetric undirected", () => {
  const want = [
    [0, 1, 0.5],
    [1, 2, 2],
    [2, 0, 1.25],
  ];
  assert.equal(edges(readGraph(fixture("adj_f8.npy"))), want);
  assert.equal(edges(readGraph(fixture("adj_f4.npy"))), want);
  assert.equal(edges(readGraph(fixture("adj_be_f8.npy").buffer as ArrayBuffer)), want);
  assert.equal(
    edges(readGraph(fixture("adj_i4_fortran.npy"))),
    want.map(([s, t, w]) => [s, t, w! * 4]),
  );
  const s = readGraph(fixture("sym_f8.npy"), { directed: false });
  assert.equal(edges(s), [
    [0, 1, 1],
    [0, 2, 3],
  ]);
});

test("explicit options: selfLoops drop/keep, duplicates sum/max/first, negative drop/keep", () => {
  const csv = "0,0,1\n0,1,1\n0,1,3\n1,2,-1\n";
  const base = { selfLoops: "keep", duplicates: "sum", negative: "keep" } as const;
  assert.equal(edges(readGraph(csv, base)), [
    [0, 0, 1],
    [0, 1, 4],
    [1, 2, -1],
  ]);
  assert.equal(edges(readGraph(csv, { ...base, selfLoops: "drop" })), [
    [0, 1, 4],
    [1, 2, -1],
  ]);
  assert.equal(edges(readGraph(csv, { ...base, duplicates: "max" })), [
    [0, 0, 1],
    [0, 1, 3],
    [1, 2, -1],
  ]);
  assert.equal(edges(readGraph(csv, { ...base, duplicates: "first" })), [
    [0, 0, 1],
    [0, 1, 1],
    [1, 2, -1],
  ]);
  assert.equal(edges(readGraph(csv, { ...base, negative: "drop" })), [
    [0, 0, 1],
    [0, 1, 4],
  ]);
  // undirected: 1,0 duplicates 0,1
  assert.equal(edges(readGraph("0,1,1\n1,0,2\n", { directed: false, duplicates: "sum" })), [[0, 1, 3]]);
});

test("self-loop is a typed error naming the row", () => {
  try {
    readGraph("0,1\n2,2\n");
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DgrnFormatError);
    assert.is((e as DgrnFormatError).code, ErrorCode.INVALID_DATA);
    assert.is((e as DgrnFormatError).row, 2);
  }
  throwsCode(() => readGraph(fixture("selfloop_f8.npy")), DgrnFormatError, ErrorCode.INVALID_DATA);
});

test("duplicate edge is a typed error", () => {
  throwsCode(() => readGraph("0,1,1\n0,1,1\n"), DgrnFormatError, ErrorCode.INVALID_DATA);
  throwsCode(() => readGraph('{"n":2,"edges":[[0,1,1],[0,1,2]]}'), DgrnFormatError, ErrorCode.INVALID_DATA);
});

test("negative weight is a typed error", () => {
  throwsCode(() => readGraph("0,1,-0.5\n"), DgrnFormatError, ErrorCode.INVALID_DATA);
});

test("non-finite weight is a typed error (CSV nan/inf, JSON null), even with negative: keep", () => {
  throwsCode(() => readGraph("0,1,nan\n"), DgrnFormatError, ErrorCode.INVALID_DATA);
  throwsCode(() => readGraph("0,1,Infinity\n", { negative: "keep" }), DgrnFormatError, ErrorCode.INVALID_DATA);
  throwsCode(() => readGraph('{"n":2,"edges":[[0,1,null]]}'), DgrnFormatError, ErrorCode.INVALID_DATA);
});

test("id ≥ n, negative id and fractional id are typed errors", () => {
  throwsCode(() => readGraph("0,5\n", { n: 3 }), DgrnFormatError, ErrorCode.INVALID_DATA);
  throwsCode(() => readGraph('{"n":2,"edges":[[0,2,1]]}'), DgrnFormatError, ErrorCode.INVALID_DATA);
  throwsCode(() => readGraph("-1,0\n"), DgrnFormatError, ErrorCode.INVALID_DATA);
  throwsCode(() => readGraph("0.5,1\n"), DgrnFormatError, ErrorCode.INVALID_DATA);
});

test("malformed content is ERR_INVALID_FORMAT", () => {
  throwsCode(() => readGraph("from,to\n0,1\n"), DgrnFormatError, ErrorCode.INVALID_FORMAT);
  throwsCode(() => readGraph("0,1,2,3\n"), DgrnFormatError, ErrorCode.INVALID_FORMAT);
  throwsCode(() => readGraph("0,x\n"), DgrnFormatError, ErrorCode.INVALID_FORMAT);
  throwsCode(() => readGraph("{not json"), DgrnFormatError, ErrorCode.INVALID_FORMAT);
  throwsCode(() => readGraph('{"n": -1, "edges": []}'), DgrnFormatError, ErrorCode.INVALID_FORMAT);
  throwsCode(() => readGraph('{"n": 2, "edges": [[0]]}'), DgrnFormatError, ErrorCode.INVALID_FORMAT);
  throwsCode(() => readGraph(fixture("rect_f8.npy")), DgrnFormatError, ErrorCode.INVALID_FORMAT);
});

test("undirected NPY must be symmetric", () => {
  throwsCode(() => readGraph(fixture("adj_f8.npy"), { directed: false }), DgrnFormatError, ErrorCode.INVALID_DATA);
});

test("invalid arguments: source kind, unknown option, bad option values", () => {
  throwsCode(() => readGraph(42 as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => readGraph("0,1\n", { fromat: "csv" } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => readGraph("0,1\n", { format: "xml" } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => readGraph("0,1\n", { selfLoops: "ignore" } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => readGraph("0,1\n", { duplicates: "mean" } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => readGraph("0,1\n", { negative: true } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => readGraph("0,1\n", { n: -2 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => readGraph("0,1\n", { directed: "yes" } as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => readGraph("0,1\n", { format: "npy" }), DgrnTypeError, ErrorCode.INVALID_TYPE);
});

test("graphToJSON rejects an invalid graph and clashing extra keys", () => {
  const g = readGraph("0,1\n");
  throwsCode(() => graphToJSON({ ...g, target: Int32Array.from([7]) }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => graphToJSON({ ...g, weight: Float64Array.from([NaN]) }), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(() => graphToJSON(g, { edges: [] }), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => graphToJSON(g, 3 as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
});

test.run();
