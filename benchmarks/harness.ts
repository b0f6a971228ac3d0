// Benchmark harness: time a function by repetition, keep its results alive
// (a guard against dead-code elimination), call numpy/scipy or Brian 2 from
// Debian's python in the same run, and write a results table.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";

/** Sink for results, so the JIT cannot drop the work. */
/** The value after the command-line flag `k` (e.g. `--runs 3`), or `d` when the flag is absent. */
export function arg(k: string, d: string): string {
  return process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1]! : d;
}

export let blackhole = 0;
export function consume(v: unknown): void {
  if (typeof v === "number") blackhole += v;
  else if (ArrayBuffer.isView(v)) blackhole += (v as unknown as ArrayLike<number>)[0] ?? 0;
  else if (v && typeof v === "object") blackhole += Object.keys(v).length;
}

/** Median wall time (ms) of `fn` over at least `minRuns` runs and `minMs` total. */
export function time(fn: () => unknown, { minRuns = 3, minMs = 300, warmup = 1 } = {}): number {
  for (let i = 0; i < warmup; i++) consume(fn());
  const ts: number[] = [];
  const start = performance.now();
  while (ts.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    consume(fn());
    ts.push(performance.now() - t0);
    if (ts.length >= 50) break;
  }
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1]!;
}

/** Debian's own python3 (the first python3 on PATH may be a separate build without numpy). */
export const DEBIAN_PYTHON = "/usr/bin/python3";

/** Whether Debian's python3 can import every module named. */
export function pythonHas(...modules: string[]): boolean {
  if (!existsSync(DEBIAN_PYTHON)) return false;
  const r = spawnSync(DEBIAN_PYTHON, ["-c", modules.map((m) => `import ${m}`).join("; ")], { encoding: "utf8" });
  return r.status === 0;
}

/** Run a python snippet that prints one JSON object on its last line; single-threaded BLAS. */
export function runPython(code: string, input?: string): unknown {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const r = spawnSync(DEBIAN_PYTHON, ["-c", code], { encoding: "utf8", env, input, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/** The machine, recorded with every result. */
export function machine() {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.versions.node,
    date: new Date().toISOString(),
  };
}

/** Print rows as a table and write them (with the machine) to benchmarks/results/<name>.json. */
export function report(name: string, rows: Array<Record<string, string | number | null>>): void {
  console.log(`\n## ${name}`);
  console.table(rows);
  mkdirSync("benchmarks/results", { recursive: true });
  writeFileSync(`benchmarks/results/${name}.json`, JSON.stringify({ name, machine: machine(), rows }, null, 2) + "\n");
}
