// Hostile and extreme inputs for every command (issue 17): NPY, CSV, JSON,
// NWB, graphs, states, labels, option values, output paths and SDK calls.
// Every case must end with exit 0 and a correct result, or exit 2 and one
// typed line `dgrn: <message> [ERR_…]`, within the CPU and memory budget,
// leaving no temporary file (tests/fuzz/fuzz.test.ts judges).
//
// `awaiting` marks cases whose fix belongs to another issue's branch (the
// readers: issue 14) and that fail on this branch until the merge; the suite
// reports them without failing. The lead removes the marks after merging.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeNwb } from "../helpers/nwb.js";

export interface FuzzCase {
  id: string;
  /** CLI arguments (paths relative to the case's own directory). */
  argv?: string[];
  /** An SDK call instead: function name and arguments. */
  sdk?: { fn: string; args: unknown[] };
  /** Files to create in the case's directory. */
  files?: Record<string, string | Uint8Array>;
  /** What is correct: "ok" (exit 0), "error" (exit 2), or "either". */
  expect: "ok" | "error" | "either";
  /** For exit 0: check stdout / the directory; return a complaint or null. */
  check?: (stdout: string, dir: string) => string | null;
  /** For exit 2: the code the line must carry. */
  code?: string;
  /** Fixed on another branch (e.g. "issue-14: NPY header limits"). */
  awaiting?: string;
  /** Whole-pipeline cases: larger CPU budget, only in the full run. */
  slow?: boolean;
}

/** One reader case: name, file content, what is correct, awaiting mark, check, extra flags. */
type ReaderCase = [string, string | Uint8Array, FuzzCase["expect"], string?, FuzzCase["check"]?, string[]?];

const enc = new TextEncoder();

/** A seeded LCG (test data only). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** NPY bytes with a literal header (so hostile headers can be written). */
export function npyRaw(
  header: string,
  data: Uint8Array = new Uint8Array(0),
  version: [number, number] = [1, 0],
  padTo = 64,
): Uint8Array {
  const lenBytes = version[0] === 1 ? 2 : 4;
  let h = header;
  const base = 6 + 2 + lenBytes;
  while ((base + h.length + 1) % padTo !== 0) h += " ";
  h += "\n";
  const out = new Uint8Array(base + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version[0], version[1]]);
  const dv = new DataView(out.buffer);
  if (lenBytes === 2) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  out.set(enc.encode(h), base);
  out.set(data, base + h.length);
  return out;
}
const npy = (descr: string, shape: string, data?: Uint8Array, fortran = "False", version?: [number, number]) =>
  npyRaw(`{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`, data, version);

function f64(xs: number[]): Uint8Array {
  return new Uint8Array(Float64Array.from(xs).buffer);
}
function i32(xs: number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(xs).buffer);
}

/** A small recording: 20 neurons, 2 s, seeded. */
function smallCsv(): string {
  const r = lcg(7);
  const rows: string[] = ["neuron,time"];
  const ev: Array<[number, number]> = [];
  for (let i = 0; i < 20; i++) for (let k = 0; k < 15; k++) ev.push([i, Math.round(r() * 2e6) / 1e6]);
  ev.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  for (const [i, t] of ev) rows.push(`${i},${t}`);
  return rows.join("\n") + "\n";
}

function statesCsv(T: number, n: number, seed: number): string {
  const r = lcg(seed);
  const rows: string[] = [];
  for (let t = 0; t < T; t++) rows.push(Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0)).join(","));
  return rows.join("\n") + "\n";
}

function ringGraph(n: number): string {
  const edges: number[][] = [];
  for (let i = 0; i < n; i++) edges.push([i, (i + 1) % n, 1]);
  for (let i = 0; i < n; i += 3) edges.push([i, (i + n / 2) % n, 0.5]);
  return JSON.stringify({ n, edges, directed: false });
}

const json = (s: string) => {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
};

/** inspect --json must report these counts. */
const counts =
  (neurons: number, spikes: number) =>
  (stdout: string): string | null => {
    const o = json(stdout);
    if (!o) return `stdout is not JSON: ${stdout.slice(0, 80)}`;
    if (o.neurons !== neurons || o.spikes !== spikes)
      return `neurons/spikes ${o.neurons}/${o.spikes}, expected ${neurons}/${spikes}`;
    return null;
  };

const A14 = undefined; // issue 14 has landed: every reader case is held to the contract

export function buildCases(): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const add = (c: FuzzCase) => cases.push(c);
  /** Reader cases: `dgrn inspect --input f.<ext> --json [extra]` on one file of each row. */
  const addInspect = (ext: string, rows: ReaderCase[]) => {
    for (const [name, content, expect, awaiting, check, extra] of rows) {
      add({
        id: `${ext}/${name}`,
        argv: ["inspect", "--input", `f.${ext}`, "--json", ...(extra ?? [])],
        files: { [`f.${ext}`]: content },
        expect,
        ...(awaiting ? { awaiting } : {}),
        ...(check ? { check } : {}),
      });
    }
  };
  const small = smallCsv();
  const states = statesCsv(300, 6, 3);
  const labels = Array.from({ length: 300 }, (_, t) => String(t % 3)).join("\n") + "\n";
  const graph = ringGraph(12);

  // --- NPY spike files ---------------------------------------------------------
  const npyCases: ReaderCase[] = [
    ["shape-2^40x0", npy("<i4", "(1099511627776, 0)"), "error", A14],
    ["shape-1e9x0", npy("<i4", "(1000000000, 0)"), "error", A14],
    ["shape-0x2^40", npy("<i4", "(0, 1099511627776)"), "error", A14],
    ["shape-neg", npy("<i4", "(-1, 3)"), "error"],
    ["shape-float", npy("<i4", "(2.5, 3)"), "error"],
    ["shape-3d", npy("<i4", "(2, 2, 2)", i32([0, 1, 0, 1, 1, 0, 1, 0])), "error"],
    ["shape-0d", npy("<f8", "()", f64([1])), "error"],
    ["shape-short-data", npy("<i4", "(10, 4)", i32([1, 2, 3])), "error"],
    ["shape-huge-1d", npy("<f8", "(4294967297,)"), "error"],
    ["descr-complex", npy("<c16", "(2, 2)", new Uint8Array(64)), "error"],
    ["descr-object", npy("|O", "(2,)", new Uint8Array(16)), "error"],
    ["descr-bigendian-f8", npy(">f8", "(2, 2)", new Uint8Array(32)), "either"],
    ["descr-unknown", npy("<q9", "(2, 2)", new Uint8Array(32)), "error"],
    ["fortran-true", npy("<i4", "(2, 3)", i32([0, 1, 0, 1, 1, 0]), "True"), "either"],
    ["fortran-garbage", npy("<i4", "(2, 3)", i32([0, 1, 0, 1, 1, 0]), "Maybe"), "error"],
    ["version-2", npy("<i4", "(2, 3)", i32([0, 1, 0, 1, 1, 0]), "False", [2, 0]), "either"],
    ["version-9", npy("<i4", "(2, 3)", i32([0, 1, 0, 1, 1, 0]), "False", [9, 0]), "error"],
    ["header-not-dict", npyRaw("[1, 2, 3]"), "error"],
    ["header-python-code", npyRaw("__import__('os').system('true')"), "error"],
    ["header-empty", npyRaw(""), "error"],
    ["header-unterminated", npyRaw("{'descr': '<i4', 'shape': (2,"), "error"],
    ["magic-only", Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59), "error"],
    ["bad-magic", enc.encode("\x93NUMPX\x01\x00\x10\x00{}"), "error"],
    [
      "header-len-65535",
      (() => {
        const b = npyRaw("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1), }", i32([1]));
        new DataView(b.buffer).setUint16(8, 65535, true);
        return b;
      })(),
      "error",
    ],
    [
      "header-len-v2-4GiB",
      (() => {
        const b = npyRaw("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1), }", i32([1]), [2, 0]);
        new DataView(b.buffer).setUint32(8, 0xffffffff, true);
        return b;
      })(),
      "error",
    ],
    [
      "events-nan-time",
      npyRaw(
        "{'descr': [('neuron', '<i4'), ('time', '<f8')], 'fortran_order': False, 'shape': (2,), }",
        (() => {
          const b = new Uint8Array(24);
          const d = new DataView(b.buffer);
          d.setInt32(0, 0, true);
          d.setFloat64(4, NaN, true);
          d.setInt32(12, 1, true);
          d.setFloat64(16, 0.5, true);
          return b;
        })(),
      ),
      "error",
    ],
    [
      "events-neg-time",
      npyRaw(
        "{'descr': [('neuron', '<i4'), ('time', '<f8')], 'fortran_order': False, 'shape': (1,), }",
        (() => {
          const b = new Uint8Array(12);
          const d = new DataView(b.buffer);
          d.setInt32(0, 0, true);
          d.setFloat64(4, -1, true);
          return b;
        })(),
      ),
      "error",
    ],
    [
      "events-ok",
      npyRaw(
        "{'descr': [('neuron', '<i4'), ('time', '<f8')], 'fortran_order': False, 'shape': (2,), }",
        (() => {
          const b = new Uint8Array(24);
          const d = new DataView(b.buffer);
          d.setInt32(0, 0, true);
          d.setFloat64(4, 0.25, true);
          d.setInt32(12, 1, true);
          d.setFloat64(16, 0.5, true);
          return b;
        })(),
      ),
      "ok",
      undefined,
      counts(2, 2),
    ],
    ["binned-u1", npy("|u1", "(3, 2)", Uint8Array.of(0, 1, 2, 0, 1, 1)), "either"],
    ["binned-negative", npy("<i4", "(2, 2)", i32([0, -1, 1, 0])), "error"],
    ["binned-f8-fraction", npy("<f8", "(2, 2)", f64([0, 0.5, 1, 0])), "error"],
    ["binned-f8-inf", npy("<f8", "(2, 2)", f64([0, Infinity, 1, 0])), "error"],
    ["binned-ok", npy("<i4", "(4, 3)", i32([0, 1, 0, 1, 0, 0, 0, 0, 2, 1, 1, 1])), "ok", undefined, counts(3, 7)],
    ["trailing-bytes", npy("<i4", "(1, 2)", i32([1, 0, 7, 7])), "either"],
    ["empty-file", new Uint8Array(0), "error"],
    ["random-bytes", Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), "error"],
  ];
  addInspect("npy", npyCases);

  // --- CSV spike files -----------------------------------------------------------
  const csvCases: ReaderCase[] = [
    ["empty", "", "error"],
    ["header-only", "neuron,time\n", "either"],
    ["one-row", "neuron,time\n0,0.1\n", "ok", undefined, counts(1, 1)],
    ["hex-id", "neuron,time\n0x10,0.1\n1,0.2\n", "error", A14],
    ["sparse-id-9999999", "neuron,time\n0,0.1\n9999999,0.2\n5,0.3\n", "ok", A14, counts(3, 3)],
    ["negative-id", "neuron,time\n-1,0.1\n", "error"],
    ["fraction-id", "neuron,time\n1.5,0.1\n", "error"],
    ["id-2^31", "neuron,time\n2147483648,0.1\n", "error"],
    ["id-1e300", "neuron,time\n1e300,0.1\n", "error"],
    ["nan-time", "neuron,time\n0,NaN\n", "error"],
    ["inf-time", "neuron,time\n0,Infinity\n", "error"],
    ["negative-time", "neuron,time\n0,-0.5\n", "error"],
    ["time-1e308", "neuron,time\n0,1e308\n", "either"],
    ["missing-column", "neuron,time\n0\n", "error"],
    ["extra-columns", "neuron,time,x\n0,0.1,9\n", "either"],
    ["text-time", "neuron,time\n0,soon\n", "error"],
    ["quoted", 'neuron,time\n"0","0.1"\n', "either"],
    ["semicolon-short", "neuron;time\n0;0.1\n1;0.2\n", "ok", A14, counts(2, 2)],
    ["tab", "neuron\ttime\n0\t0.1\n1\t0.2\n", "either"],
    ["bom", "\ufeffneuron,time\n0,0.1\n", "either"],
    ["crlf", "neuron,time\r\n0,0.1\r\n1,0.2\r\n", "ok", undefined, counts(2, 2)],
    ["no-header", "0,0.1\n1,0.2\n", "either"],
    ["unsorted", "neuron,time\n0,0.5\n0,0.1\n", "either"],
    ["duplicate-rows", "neuron,time\n0,0.1\n0,0.1\n", "either"],
    ["t0-duration0", "neuron,time\n0,0\n1,0\n", "ok", A14, counts(2, 2)],
    ["binary-garbage", "\u0000\u0001\u0002\u00ff,\u0000\n", "error"],
    ["long-line", "neuron,time\n0," + "9".repeat(200000) + "\n", "either"],
    [
      "many-columns-header",
      Array.from({ length: 20000 }, (_, i) => `n${i}`).join(",") +
        "\n" +
        Array.from({ length: 20000 }, () => "0").join(",") +
        "\n",
      "either",
    ],
    ["unicode-digits", "neuron,time\n٣,0.1\n", "error"],
    ["ms-unit", "neuron,time\n0,100\n1,200\n", "ok", undefined, counts(2, 2), ["--time-unit", "ms"]],
    ["n-neurons-2^31-1", "neuron,time\n0,0.1\n", "error", undefined, undefined, ["--n-neurons", "2147483647"]],
    ["n-neurons-too-few", "neuron,time\n0,0.1\n5,0.2\n", "error", undefined, undefined, ["--n-neurons", "2"]],
    ["duration-shorter", "neuron,time\n0,0.1\n1,5\n", "error", undefined, undefined, ["--duration", "1"]],
    ["duration-1e308", "neuron,time\n0,0.1\n", "either", undefined, undefined, ["--duration", "1e308"]],
    ["bin-size-1e-300", "n0,n1\n0,1\n1,0\n", "either", undefined, undefined, ["--bin-size", "1e-300"]],
    ["small-recording", small, "ok", undefined, counts(20, 300)],
  ];
  addInspect("csv", csvCases);

  // --- JSON spike files ----------------------------------------------------------
  const deep = "[".repeat(100000) + "]".repeat(100000);
  const jsonCases: ReaderCase[] = [
    ["not-json", "{spikeTimes: [[0.1]]}", "error"],
    ["top-array", "[[0.1]]", "error"],
    ["deep-100000", `{"spikeTimes": ${deep}}`, "error"],
    ["deep-in-duration", `{"spikeTimes": [[0.1]], "duration": ${deep}}`, "error"],
    ["duplicate-keys", '{"spikeTimes": [[0.1]], "spikeTimes": [[0.2], [0.3]]}', "error", A14],
    ["duplicate-ids", '{"spikeTimes": [[0.1], [0.2]], "neuronIds": [3, 3]}', "error", A14],
    ["ids-length", '{"spikeTimes": [[0.1], [0.2]], "neuronIds": [3]}', "error"],
    ["string-times", '{"spikeTimes": [["0.1"]]}', "error"],
    ["null-time", '{"spikeTimes": [[null]]}', "error"],
    ["duration-1e308", '{"spikeTimes": [[0.1]], "duration": 1e308}', "either"],
    ["duration-1e400", '{"spikeTimes": [[0.1]], "duration": 1e400}', "error"],
    ["duration-negative", '{"spikeTimes": [[0.1]], "duration": -1}', "error"],
    ["unit-hours", '{"spikeTimes": [[0.1]], "unit": "h"}', "error"],
    ["unit-ms", '{"spikeTimes": [[100]], "unit": "ms"}', "ok", undefined, counts(1, 1)],
    ["binned-binsize-0", '{"binned": [[0, 1]], "binSize": 0}', "error"],
    ["binned-ragged", '{"binned": [[0, 1], [1]], "binSize": 0.01}', "error"],
    ["binned-negative", '{"binned": [[0, -1]], "binSize": 0.01}', "error"],
    ["binned-ok", '{"binned": [[0, 1], [2, 0]], "binSize": 0.01}', "ok", undefined, counts(2, 3)],
    ["both-kinds", '{"binned": [[0]], "spikeTimes": [[0.1]]}', "error"],
    ["neither", '{"x": 1}', "error"],
    ["empty-object", "{}", "error"],
    ["proto-key", '{"spikeTimes": [[0.1]], "__proto__": {"duration": -5}}', "either"],
    ["times-object", '{"spikeTimes": {"0": [0.1]}}', "error"],
    ["huge-id", '{"spikeTimes": [[0.1]], "neuronIds": [9007199254740993]}', "error"],
  ];
  addInspect("json", jsonCases);

  // --- NWB files -------------------------------------------------------------------
  const goodNwb = makeNwb({ units: [[0.1, 0.2], [0.3]] });
  const nwbCases: ReaderCase[] = [
    ["ok", goodNwb, "ok", undefined, counts(2, 3)],
    ["truncated-half", goodNwb.slice(0, goodNwb.length >> 1), "error", A14],
    ["truncated-1k", goodNwb.slice(0, 1024), "error", A14],
    ["signature-only", goodNwb.slice(0, 8), "error", A14],
    ["not-hdf5", enc.encode("this is not an HDF5 file at all\n".repeat(20)), "error", A14],
    ["empty", new Uint8Array(0), "error"],
    [
      "flipped-bytes",
      (() => {
        const b = goodNwb.slice();
        for (let i = 600; i < b.length; i += 97) b[i] = b[i]! ^ 0xff;
        return b;
      })(),
      "either",
      A14,
    ],
    ["no-units", makeNwb({ units: [], noUnits: true }), "error"],
    ["duplicate-unit-ids", makeNwb({ units: [[0.1], [0.2]], ids: [5, 5] }), "error", A14],
    ["bad-index", makeNwb({ units: [[0.1], [0.2]], index: [5, 1] }), "error"],
    ["no-index", makeNwb({ units: [[0.1], [0.2]], noIndex: true }), "either"],
  ];
  addInspect("nwb", nwbCases);

  // --- graphs (lrg) ----------------------------------------------------------------------
  const lrgOk = (stdout: string): string | null => {
    const o = json(stdout);
    return o && typeof o.n === "number" ? null : "lrg --json did not print a result";
  };
  const graphCases: Array<[string, string, FuzzCase["expect"], FuzzCase["check"]?]> = [
    ["n-1e9", '{"n": 1000000000, "edges": [[0, 1, 1]]}', "error"],
    ["n-negative", '{"n": -1, "edges": []}', "error"],
    ["n-fraction", '{"n": 2.5, "edges": []}', "error"],
    ["n-string", '{"n": "5", "edges": []}', "error"],
    ["n-0", '{"n": 0, "edges": []}', "either"],
    ["n-1", '{"n": 1, "edges": []}', "either"],
    ["n-2-no-edges", '{"n": 2, "edges": []}', "either"],
    ["edge-out-of-range", '{"n": 3, "edges": [[0, 7, 1]]}', "error"],
    ["edge-negative-node", '{"n": 3, "edges": [[-1, 1, 1]]}', "error"],
    ["edge-null-weight", '{"n": 3, "edges": [[0, 1, null]]}', "either"],
    ["edge-weight-1e308", '{"n": 3, "edges": [[0, 1, 1e308], [1, 2, 1]]}', "either"],
    ["edge-weight-1e-308", '{"n": 3, "edges": [[0, 1, 1e-308], [1, 2, 1]]}', "either"],
    ["edge-negative-weight", '{"n": 3, "edges": [[0, 1, -1], [1, 2, 1]]}', "either"],
    ["edge-not-array", '{"n": 3, "edges": [5]}', "error"],
    ["edges-missing", '{"n": 3}', "error"],
    ["self-loops", '{"n": 3, "edges": [[0, 0, 1], [1, 1, 1], [0, 1, 1], [1, 2, 1]]}', "either"],
    ["duplicates", '{"n": 3, "edges": [[0, 1, 1], [0, 1, 1], [1, 2, 1]]}', "either"],
    ["directed-string", '{"n": 3, "edges": [[0, 1, 1]], "directed": "yes"}', "error"],
    ["two-components", '{"n": 6, "edges": [[0, 1, 1], [1, 2, 1], [3, 4, 1], [4, 5, 1]]}', "either"],
    ["ring-12", graph, "ok", lrgOk],
    ["deep", `{"n": 3, "edges": ${deep}}`, "error"],
    ["not-json", "{n: 3}", "error"],
    ["csv-garbage", "source,target,weight\na,b,c\n", "error"],
  ];
  for (const [name, text, expect, check] of graphCases) {
    const file = name.startsWith("csv") ? "g.csv" : "g.json";
    add({
      id: `graph/${name}`,
      argv: ["lrg", "--graph", file, "--json", "--points", "40"],
      files: { [file]: text },
      expect,
      ...(check ? { check } : {}),
    });
  }
  add({
    id: "graph/npy-neg-dim",
    argv: ["lrg", "--graph", "g.npy", "--json"],
    files: { "g.npy": npy("<f8", "(-3, 3)") },
    expect: "error",
  });
  add({
    id: "graph/npy-nonsquare",
    argv: ["lrg", "--graph", "g.npy", "--json"],
    files: { "g.npy": npy("<f8", "(2, 3)", f64([0, 1, 0, 1, 0, 1])) },
    expect: "error",
  });
  add({
    id: "graph/npy-2^40",
    argv: ["lrg", "--graph", "g.npy", "--json"],
    files: { "g.npy": npy("<f8", "(1099511627776, 1099511627776)") },
    expect: "error",
    awaiting: A14,
  });

  // --- states and labels (tn, dynamics) -------------------------------------------------
  const stateFiles: Array<[string, Record<string, string | Uint8Array>, string, FuzzCase["expect"], string?]> = [
    ["csv-ok", { "s.csv": states }, "s.csv", "ok"],
    ["csv-empty", { "s.csv": "" }, "s.csv", "error"],
    ["csv-twos", { "s.csv": "0,1\n2,0\n1,1\n" }, "s.csv", "error"],
    ["csv-ragged", { "s.csv": "0,1\n1\n" }, "s.csv", "error"],
    ["csv-text", { "s.csv": "a,b\nc,d\n" }, "s.csv", "error"],
    ["csv-one-row", { "s.csv": "0,1,1\n" }, "s.csv", "either"],
    ["csv-one-col", { "s.csv": "0\n1\n1\n0\n" }, "s.csv", "either"],
    ["npy-neg-dim", { "s.npy": npy("|u1", "(-5, 3)") }, "s.npy", "error"],
    ["npy-1e9x0", { "s.npy": npy("|u1", "(1000000000, 0)") }, "s.npy", "error", A14],
    ["npy-0x2^40", { "s.npy": npy("|u1", "(0, 1099511627776)") }, "s.npy", "error", A14],
    ["npy-f8-half", { "s.npy": npy("<f8", "(2, 2)", f64([0, 0.5, 1, 0])) }, "s.npy", "error"],
    ["npy-ok", { "s.npy": npy("|u1", "(4, 2)", Uint8Array.of(0, 1, 1, 0, 1, 1, 0, 0)) }, "s.npy", "either"],
    ["npy-1d", { "s.npy": npy("|u1", "(4,)", Uint8Array.of(0, 1, 1, 0)) }, "s.npy", "either"],
    ["npy-wide-64", { "s.npy": npy("|u1", "(3, 64)", new Uint8Array(192)) }, "s.npy", "either"],
  ];
  for (const [name, files, file, expect, awaiting] of stateFiles) {
    for (const cmd of ["tn", "dynamics"]) {
      add({
        id: `states/${cmd}/${name}`,
        argv: [cmd, "--states", file, "--json", ...(cmd === "dynamics" ? ["--surrogates", "3"] : [])],
        files,
        expect,
        ...(awaiting ? { awaiting } : {}),
      });
    }
  }
  const labelFiles: Array<[string, string | Uint8Array, string, FuzzCase["expect"], string?]> = [
    ["csv-ok", labels, "l.csv", "ok"],
    ["npy-neg-dim", npy("<i4", "(-300,)"), "l.npy", "error"],
    ["npy-ok", npy("<i4", "(300,)", i32(Array.from({ length: 300 }, (_, t) => t % 3))), "l.npy", "ok"],
    ["npy-wrong-length", npy("<i4", "(10,)", i32(Array.from({ length: 10 }, (_, t) => t % 3))), "l.npy", "error"],
    [
      "npy-beyond-int32",
      npy(
        "<i8",
        "(300,)",
        new Uint8Array(new BigInt64Array(Array.from({ length: 300 }, (_, t) => BigInt(t % 2) * 4294967296n)).buffer),
      ),
      "l.npy",
      "error",
      A14,
    ],
    ["npy-f8-fraction", npy("<f8", "(300,)", f64(Array.from({ length: 300 }, () => 0.5))), "l.npy", "error"],
    ["csv-text", "a\nb\n", "l.csv", "error"],
    ["csv-one-class", Array.from({ length: 300 }, () => "1").join("\n") + "\n", "l.csv", "either"],
    ["npy-2^40", npy("<i4", "(1099511627776,)"), "l.npy", "error", A14],
  ];
  for (const [name, content, file, expect, awaiting] of labelFiles) {
    add({
      id: `labels/${name}`,
      argv: ["dynamics", "--states", "s.csv", "--labels", file, "--json", "--surrogates", "3", "--folds", "3"],
      files: { "s.csv": states, [file]: content },
      expect,
      ...(awaiting ? { awaiting } : {}),
    });
  }

  // --- option values --------------------------------------------------------------------
  const values = [
    "",
    "abc",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1",
    "0",
    "-0",
    "1.5",
    "0x10",
    "1e-9",
    "1e308",
    "2147483648",
    "9007199254740993",
    " 3 ",
  ];
  const numeric: Array<[string, string[], string]> = [
    ["inspect", ["--input", "f.csv", "--json"], "--duration"],
    ["inspect", ["--input", "f.csv", "--json"], "--n-neurons"],
    ["inspect", ["--input", "b.csv", "--json"], "--bin-size"],
    ["infer", ["--input", "f.csv", "--out", "g.json", "--json", "--surrogates", "2"], "--bin-size"],
    ["infer", ["--input", "f.csv", "--out", "g.json", "--json", "--surrogates", "2"], "--fraction"],
    ["infer", ["--input", "f.csv", "--out", "g.json", "--json", "--surrogates", "2"], "--subsample"],
    ["infer", ["--input", "f.csv", "--out", "g.json", "--json"], "--surrogates"],
    ["infer", ["--input", "f.csv", "--out", "g.json", "--json", "--surrogates", "2"], "--threshold"],
    ["infer", ["--input", "f.csv", "--out", "g.json", "--json", "--surrogates", "2"], "--diffusion-tau"],
    ["infer", ["--input", "f.csv", "--out", "g.json", "--json", "--surrogates", "2"], "--resolution"],
    ["infer", ["--input", "f.csv", "--out", "g.json", "--json", "--surrogates", "2"], "--seed"],
    ["lrg", ["--graph", "g.json", "--json"], "--points"],
    ["lrg", ["--graph", "g.json", "--json", "--points", "30"], "--tau-min"],
    ["lrg", ["--graph", "g.json", "--json", "--points", "30"], "--tau-max"],
    ["lrg", ["--graph", "g.json", "--json", "--points", "30", "--method", "slq"], "--probes"],
    ["lrg", ["--graph", "g.json", "--json", "--points", "30", "--method", "slq"], "--steps"],
    ["lrg", ["--graph", "g.json", "--json", "--points", "30"], "--prominence"],
    ["tn", ["--states", "s.csv", "--json"], "--tol"],
    ["tn", ["--states", "s.csv", "--json"], "--max-bond"],
    ["dynamics", ["--states", "s.csv", "--json"], "--surrogates"],
    ["dynamics", ["--states", "s.csv", "--json", "--surrogates", "3"], "--pseudocount"],
    ["dynamics", ["--states", "s.csv", "--json", "--surrogates", "3"], "--markov-order"],
    ["dynamics", ["--states", "s.csv", "--json", "--surrogates", "3"], "--train-fraction"],
    ["simulate", ["--out", "s.npy", "--json", "--duration", "0.2", "--neurons", "60", "--clusters", "3"], "--seed"],
    ["simulate", ["--out", "s.npy", "--json", "--neurons", "60", "--clusters", "3"], "--duration"],
    ["simulate", ["--out", "s.npy", "--json", "--duration", "0.2"], "--neurons"],
    ["simulate", ["--out", "s.npy", "--json", "--duration", "0.2", "--neurons", "60"], "--clusters"],
  ];
  const baseFiles = { "f.csv": small, "b.csv": "n0,n1\n0,1\n1,0\n2,1\n", "g.json": graph, "s.csv": states };
  for (const [cmd, base, flag] of numeric) {
    for (const v of values) {
      add({
        id: `opt/${cmd}${flag}=${JSON.stringify(v)}`,
        argv: [cmd, ...base, flag, v],
        files: baseFiles,
        expect: "either",
      });
    }
  }
  const enums: Array<[string, string[], string, string[]]> = [
    ["inspect", ["--input", "f.csv", "--json"], "--format", ["csv", "npy", "xml", ""]],
    ["inspect", ["--input", "f.csv", "--json"], "--layout", ["events", "binned", "sideways"]],
    ["inspect", ["--input", "f.csv", "--json"], "--time-unit", ["s", "ms", "h"]],
    ["infer", ["--input", "f.csv", "--out", "g.json", "--surrogates", "2"], "--method", ["xcorr", "glm", "magic"]],
    [
      "infer",
      ["--input", "f.csv", "--out", "g.json", "--surrogates", "2"],
      "--lags",
      ["1..2", "5..1", "0..0", "1..100000", "x", "1..", "3"],
    ],
    ["lrg", ["--graph", "g.json", "--json", "--points", "30"], "--laplacian", ["sym", "out", "in"]],
    ["lrg", ["--graph", "g.json", "--json", "--points", "30"], "--rule", ["rho", "modes", "both"]],
    ["lrg", ["--graph", "g.json", "--json", "--points", "30"], "--method", ["dense", "slq", "auto", "quantum"]],
    [
      "dynamics",
      ["--states", "s.csv", "--json", "--surrogates", "3"],
      "--surrogate",
      ["shuffle", "reversible", "bogus"],
    ],
    [
      "simulate",
      ["--out", "s.csv", "--duration", "0.2", "--neurons", "60", "--clusters", "3"],
      "--stimulus",
      ["auto", "none", "always"],
    ],
    [
      "simulate",
      ["--out", "s.csv", "--duration", "0.2", "--neurons", "60", "--clusters", "3"],
      "--synapses",
      ["current", "conductance", "chemical"],
    ],
  ];
  for (const [cmd, base, flag, vs] of enums) {
    for (const v of vs)
      add({
        id: `enum/${cmd}${flag}=${JSON.stringify(v)}`,
        argv: [cmd, ...base, flag, v],
        files: baseFiles,
        expect: "either",
      });
  }
  // usage errors: every command, unknown flags, missing values, stray arguments
  for (const cmd of ["info", "simulate", "inspect", "infer", "lrg", "tn", "dynamics", "run"]) {
    add({ id: `usage/${cmd}/unknown-flag`, argv: [cmd, "--frobnicate"], expect: "error", code: "ERR_INVALID_OPTION" });
    add({ id: `usage/${cmd}/stray-arg`, argv: [cmd, "stray"], expect: "error", code: "ERR_INVALID_OPTION" });
    add({ id: `usage/${cmd}/help`, argv: [cmd, "--help"], expect: "ok" });
  }
  add({ id: "usage/unknown-command", argv: ["frobnicate"], expect: "error", code: "ERR_INVALID_OPTION" });
  add({ id: "usage/missing-value", argv: ["inspect", "--input"], expect: "error", code: "ERR_INVALID_OPTION" });
  add({ id: "usage/version", argv: ["--version"], expect: "ok" });
  add({
    id: "usage/flag-name-in-sdk-message",
    argv: ["tn", "--states", "s.csv", "--tol", "-1"],
    files: baseFiles,
    expect: "error",
    check: undefined,
  });

  // --- output paths ----------------------------------------------------------------------
  const outFiles = { ...baseFiles, "file.txt": "x" };
  const outs: Array<[string, string[], Record<string, string>?]> = [
    ["infer-out-dir", ["infer", "--input", "f.csv", "--out", "."]],
    ["infer-out-proc", ["infer", "--input", "f.csv", "--out", "/proc/x/g.json"]],
    ["infer-out-under-file", ["infer", "--input", "f.csv", "--out", "file.txt/g.json"]],
    [
      "simulate-out-dir",
      ["simulate", "--out", "d.csv", "--duration", "0.2", "--neurons", "60", "--clusters", "3"],
      { "d.csv/keep": "x" },
    ],
    ["simulate-out-proc", ["simulate", "--out", "/proc/x.csv", "--duration", "0.2"]],
    ["simulate-out-under-file", ["simulate", "--out", "file.txt/s.csv", "--duration", "0.2"]],
    ["lrg-out-dir", ["lrg", "--graph", "g.json", "--out", "."]],
    ["run-out-file", ["run", "--out", "file.txt", "--quiet"]],
    ["run-out-proc", ["run", "--out", "/proc/x", "--quiet"]],
    ["run-out-under-file", ["run", "--out", "file.txt/out", "--quiet"]],
    ["run-out-foreign-dir", ["run", "--out", "mine", "--quiet"], { "mine/thesis.tex": "x" }],
    ["run-out-dot", ["run", "--out", ".", "--quiet"]],
    ["run-out-empty", ["run", "--out", "", "--quiet"]],
  ];
  for (const [name, argv, extra] of outs)
    add({ id: `out/${name}`, argv, files: { ...outFiles, ...(extra ?? {}) }, expect: "error", code: "ERR_IO" });
  add({
    id: "out/simulate-set",
    argv: ["simulate", "--out", "sub/dir/s.npy", "--duration", "0.2", "--neurons", "60", "--clusters", "3", "--json"],
    expect: "ok",
    check: (stdout) => (json(stdout)?.truth === "sub/dir/s.npy.truth.json" ? null : "no truth file reported"),
  });

  // --- run configs ------------------------------------------------------------------------
  const configs: Array<[string, string, FuzzCase["expect"], boolean?]> = [
    ["duration-1e308", '{"simulate": {"duration": 1e308}}', "error"],
    ["duration-negative", '{"simulate": {"duration": -1}}', "error"],
    ["neurons-1e9", '{"simulate": {"n": 1000000000}}', "error"],
    ["not-json", "{simulate: 1}", "error"],
    ["array", "[]", "error"],
    ["unknown-key", '{"simulat": {}}', "error"],
    ["deep", `{"simulate": ${deep}}`, "error"],
    ["bin-1e-9", '{"bin": 1e-9}', "error"],
    ["duration-0.1", '{"simulate": {"duration": 0.1}}', "ok", true],
  ];
  for (const [name, text, expect, slow] of configs) {
    add({
      id: `run/${name}`,
      argv: ["run", "--config", "c.json", "--out", "out", "--quiet"],
      files: { "c.json": text },
      expect,
      ...(slow ? { slow: true, check: (_s: string, dir: string) => checkRunDir(dir) } : {}),
    });
  }
  add({
    id: "run/simulate-200000",
    argv: ["simulate", "--neurons", "200000", "--duration", "0.05", "--out", "s.npy", "--json"],
    expect: "either",
    slow: true,
  });

  // --- SDK calls ----------------------------------------------------------------------------
  const sdkCases: Array<[string, string, unknown[], FuzzCase["expect"], string?]> = [
    ["randomUniform-1e12", "randomUniform", [1e12], "error"],
    ["randomNormal-2^31", "randomNormal", [2 ** 31], "error"],
    ["randomUniform-neg", "randomUniform", [-1], "error"],
    ["randomUniform-nan", "randomUniform", [NaN], "error"],
    ["renderReport-null", "renderReport", [null], "error"],
    ["renderReport-number", "renderReport", [5], "error"],
    ["renderReport-empty", "renderReport", [{}], "error"],
    [
      "readSpikes-nNeurons-2^31-1",
      "readSpikes",
      [{ $bytes: Buffer.from("neuron,time\n0,0.1\n").toString("base64") }, { format: "csv", nNeurons: 2 ** 31 - 1 }],
      "error",
    ],
    ["readSpikes-null", "readSpikes", [null], "error"],
    [
      "binSpikes-1e-9",
      "binSpikes",
      [{ kind: "spikes", nNeurons: 1000, duration: 2, times: [], neuronIds: new Int32Array(1000) }, { binSize: 1e-9 }],
      "error",
    ],
    ["eigh-null", "eigh", [null], "error"],
    ["eigh-huge-rows", "eigh", [{ rows: 1e6, cols: 1e6, data: new Float64Array(4) }], "error"],
    ["readGraph-n-1e9", "readGraph", ['{"n": 1000000000, "edges": [[0, 1, 1]]}'], "error"],
    ["simulateLIF-n-1e9", "simulateLIF", [{ n: 1e9 }], "error"],
  ];
  for (const [name, fn, args, expect, awaiting] of sdkCases)
    add({ id: `sdk/${name}`, sdk: { fn, args }, expect, ...(awaiting ? { awaiting } : {}) });

  return cases;
}

/** A finished `dgrn run --out out`: the three files, results.json parses and has its sections. */
export function checkRunDir(dir: string): string | null {
  const out = join(dir, "out");
  if (!existsSync(out)) return "no out directory";
  const names = readdirSync(out).sort().join(",");
  if (names !== "report.html,results.json,timings.json") return `out holds ${names}`;
  const r = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  return r && r.graph && r.lrg && r.tn ? null : "results.json lacks graph/lrg/tn";
}
