// Batch runs (issue 16): a 16-job sweep on 1 vs 2 local worker threads
// (speed-up), the same sweep on 1 vs 2 BullMQ workers when redis-server is
// installed, and the per-job overhead of each mode against a bare `dgrn run`
// of the same job. Every number is a wall time of whole CLI processes, as a
// user sees them; ratios within this run are what count (a shared machine).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { report } from "./harness.js";

const DGRN = resolve("bin/dgrn.js");
const dir = mkdtempSync(join(tmpdir(), "dgrn-bench-batch-"));
// one small job: a 1 s, 150-neuron simulation through the whole pipeline and its report
const base = {
  simulate: { duration: 1, n: 150, clusters: 4 },
  tn: { maxBond: 8, sweep: [2, 4] },
  dynamics: { surrogates: 5, folds: 3 },
};
const plan = join(dir, "plan.json");
writeFileSync(
  plan,
  JSON.stringify({
    base,
    inputs: [{ simulate: {} }],
    grid: { seed: [1, 2, 3, 4], fraction: [0.5, 1], "tn.maxBond": [4, 8] },
  }),
);

function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync("nice", ["-n", "10", process.execPath, DGRN, ...args], { encoding: "utf8" });
  // a batch whose jobs fail (a pipeline error on some grid point) exits 2 and is still timed; the failures are counted
  if (r.status !== 0 && !(r.status === 2 && args[0] === "batch" && /jobs failed/.test(r.stderr)))
    throw new Error(`dgrn ${args.join(" ")}: ${r.stderr}`);
  return performance.now() - t0;
}

const failures = (out: string) => JSON.parse(readFileSync(join(out, "batch.json"), "utf8")).counts.failed as number;

function jobMs(out: string): number[] {
  return readdirSync(join(out, "jobs"))
    .filter((n) => !n.startsWith("."))
    .map((id) => JSON.parse(readFileSync(join(out, "jobs", id, "job.json"), "utf8")).runMs as number);
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const rows: Array<Record<string, string | number | null>> = [];

// 1. the 16-job sweep on the local pool, 1 vs 2 threads
const local: Record<number, number> = {};
for (const w of [1, 2]) {
  const out = join(dir, `local-${w}`);
  local[w] = wall(["batch", "--plan", plan, "--out", out, "--workers", String(w), "--quiet"]);
  rows.push({
    case: `batch:local 16 jobs, --workers ${w}`,
    ms: Math.round(local[w]!),
    perJobMs: Math.round(local[w]! / 16),
    speedup: w === 1 ? 1 : +(local[1]! / local[w]!).toFixed(2),
    jobMsSum: Math.round(sum(jobMs(out))),
    failed: failures(out),
  });
}

// 2. bare `dgrn run` of 4 of the jobs, one process each (the reference for overhead)
const cfgs = readdirSync(join(dir, "local-1", "jobs"))
  .filter((n) => !n.startsWith("."))
  .slice(0, 4);
const runMs = cfgs.map((id, i) =>
  wall(["run", "--config", join(dir, "local-1", "jobs", id, "config.json"), "--out", join(dir, `run-${i}`), "--quiet"]),
);
const bare = sum(runMs) / runMs.length;
rows.push({
  case: "dgrn run, one job per process (mean of 4)",
  ms: Math.round(bare),
  perJobMs: Math.round(bare),
  speedup: null,
  jobMsSum: null,
});
rows.push({
  case: "overhead per job: local pool --workers 1 vs dgrn run",
  ms: null,
  perJobMs: Math.round(local[1]! / 16 - bare),
  speedup: null,
  jobMsSum: null,
});

// 3. BullMQ: the same sweep on 1 vs 2 `dgrn worker`s (concurrency 1), if redis-server is here
const hasRedis = spawnSync("sh", ["-c", "command -v redis-server"]).status === 0;
if (hasRedis) {
  const port = await new Promise<number>((res) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  await new Promise((r) => setTimeout(r, 500));
  const startWorker = (queue: string) =>
    new Promise<ChildProcess>((res) => {
      const w = spawn(
        "nice",
        ["-n", "10", process.execPath, DGRN, "worker", "--redis", url, "--queue", queue, "--concurrency", "1"],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let err = "";
      w.stderr!.on("data", (d) => {
        err += d;
        if (/ready:/.test(err)) res(w);
      });
    });
  const bull: Record<number, number> = {};
  try {
    for (const n of [1, 2]) {
      const workers = await Promise.all(Array.from({ length: n }, () => startWorker(`bench-${n}`)));
      const out = join(dir, `redis-${n}`);
      bull[n] = wall(["batch", "--plan", plan, "--out", out, "--redis", url, "--queue", `bench-${n}`, "--quiet"]);
      for (const w of workers) w.kill("SIGTERM");
      await Promise.all(workers.map((w) => new Promise((r) => w.on("exit", r))));
      rows.push({
        case: `batch:BullMQ 16 jobs, ${n} worker(s)`,
        ms: Math.round(bull[n]!),
        perJobMs: Math.round(bull[n]! / 16),
        speedup: n === 1 ? 1 : +(bull[1]! / bull[n]!).toFixed(2),
        jobMsSum: Math.round(sum(jobMs(out))),
        failed: failures(out),
      });
    }
    rows.push({
      case: "overhead per job: BullMQ 1 worker vs dgrn run",
      ms: null,
      perJobMs: Math.round(bull[1]! / 16 - bare),
      speedup: null,
      jobMsSum: null,
    });
    rows.push({
      case: "overhead per job: BullMQ 1 worker vs local pool 1 thread",
      ms: null,
      perJobMs: Math.round((bull[1]! - local[1]!) / 16),
      speedup: null,
      jobMsSum: null,
    });
  } finally {
    redis.kill("SIGTERM");
  }
} else {
  console.log("redis-server not installed: BullMQ rows skipped");
}

// byte-identity across modes (over the jobs that have a result), checked here too (the tests check it on a 6-job plan)
const ids = readdirSync(join(dir, "local-1", "jobs")).filter((n) => !n.startsWith("."));
const modes = ["local-2", ...(hasRedis ? ["redis-1", "redis-2"] : [])];
const same = ids.every((id) =>
  modes.every((m) =>
    readFileSync(join(dir, m, "jobs", id, "results.json")).equals(
      readFileSync(join(dir, "local-1", "jobs", id, "results.json")),
    ),
  ),
);
rows.push({
  case: `results.json identical across local-1, ${modes.join(", ")}`,
  ms: null,
  perJobMs: null,
  speedup: null,
  jobMsSum: same ? 1 : 0,
});
report("batch", rows);
