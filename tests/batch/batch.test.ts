// dgrn batch end to end: a 6-job plan (a recording × 3 seeds, a simulation ×
// 3 seeds) on BullMQ with two `dgrn worker`s against a real redis-server, one
// worker SIGKILLed in the middle of a job; then the same plan on the local
// thread pool; every results.json byte-identical to `dgrn run` with the
// job's config. Then a rerun with a bad input: done jobs are skipped, the bad
// ones fail with their one-line error, nothing else is touched.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

const test = suite("batch/batch");
const OUT = resolve("tests/output/batch");
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const DGRN = resolve("bin/dgrn.js");
const dgrnSync = (...args: string[]) => spawnSync(process.execPath, [DGRN, ...args], { encoding: "utf8" });

/** A tiny pipeline (~2 s of CPU per job): 100 neurons, 1 s, small TN, no σ surrogates. */
const BASE = { tn: { maxBond: 4, sweep: [2] }, dynamics: { surrogates: 0, folds: 2 } };
const PLAN = join(OUT, "plan.json");
const REC = join(OUT, "rec.csv");

function redisServer(): string | null {
  const r = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** A child process with its stderr collected, and a way to wait for a line. */
class Proc {
  readonly child: ChildProcess;
  err = "";
  readonly exited: Promise<number | null>;
  readonly #waiters: Array<{ re: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  constructor(cmd: string, args: string[]) {
    this.child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d) => this.#add(String(d)));
    this.child.stderr!.on("data", (d) => this.#add(String(d)));
    this.exited = new Promise((r) => this.child.on("exit", (code) => r(code)));
  }
  #add(s: string): void {
    this.err += s;
    for (const w of [...this.#waiters]) {
      const m = this.err.match(w.re);
      if (m) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }
  waitFor(re: RegExp, ms: number, what: string): Promise<RegExpMatchArray> {
    const m = this.err.match(re);
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}; output so far:\n${this.err}`)), ms);
      this.#waiters.push({ re, resolve: (x) => (clearTimeout(t), resolve(x)) });
    });
  }
}

async function waitForExit(p: Proc, ms: number, what: string): Promise<number | null> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, rej) => (t = setTimeout(() => rej(new Error(`${what} did not finish in ${ms / 1000} s:\n${p.err}`)), ms)),
  );
  try {
    return await Promise.race([p.exited, timeout]);
  } finally {
    clearTimeout(t);
  }
}

const jobIds = (out: string) =>
  readdirSync(join(out, "jobs"))
    .filter((n) => !n.startsWith("."))
    .sort();
const resultsOf = (out: string, id: string) => readFileSync(join(out, "jobs", id, "results.json"));

/** Run `dgrn run` with each job's config (and input) and return id → results.json bytes, two at a time. */
async function dgrnRunReferences(out: string): Promise<Map<string, Buffer>> {
  const ids = jobIds(out);
  const refs = new Map<string, Buffer>();
  const queue = [...ids];
  const one = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      const job = JSON.parse(readFileSync(join(out, "jobs", id, "job.json"), "utf8"));
      const dir = join(OUT, "ref", id.slice(0, 12));
      const args = [
        "run",
        "--config",
        join(out, "jobs", id, "config.json"),
        "--out",
        dir,
        "--quiet",
        ...(job.input.kind === "file" ? ["--input", job.input.path] : []),
      ];
      const p = new Proc(process.execPath, [DGRN, ...args]);
      const code = await waitForExit(p, 120_000, `dgrn run ${id.slice(0, 12)}`);
      assert.is(code, 0, p.err);
      refs.set(id, readFileSync(join(dir, "results.json")));
    }
  };
  await Promise.all([one(), one()]);
  return refs;
}

let redisOut: string | null = null;
let localOut: string | null = null;

test.before(() => {
  const s = dgrnSync("simulate", "--neurons", "100", "--clusters", "4", "--duration", "1", "--seed", "5", "--out", REC);
  assert.is(s.status, 0, s.stderr);
  writeFileSync(
    PLAN,
    JSON.stringify({
      base: BASE,
      inputs: ["rec.csv", { simulate: { duration: 1, n: 100, clusters: 4 } }],
      grid: { seed: [1, 2, 3] },
    }),
  );
});

const server = redisServer();
if (!server) {
  console.log("batch/batch: skipping the Redis test: redis-server is not installed (apt-get install -y redis-server)");
  test.skip("BullMQ: two workers, one SIGKILLed mid-job: every job has exactly one complete result, identical to dgrn run", () => {});
} else {
  test("BullMQ: two workers, one SIGKILLed mid-job: every job has exactly one complete result, identical to dgrn run", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const redis = new Proc(server, [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--protected-mode",
      "yes",
    ]);
    const workers: Proc[] = [];
    try {
      await redis.waitFor(/Ready to accept connections/, 20_000, "redis-server");
      // lock 3 s, stalled check every 1 s: a dead worker's job is back in the queue within ~4 s
      const wargs = [
        "worker",
        "--redis",
        url,
        "--concurrency",
        "1",
        "--lock-duration",
        "3000",
        "--stalled-interval",
        "1000",
      ];
      workers.push(new Proc(process.execPath, [DGRN, ...wargs]), new Proc(process.execPath, [DGRN, ...wargs]));
      await Promise.all(workers.map((w, i) => w.waitFor(/ready: queue dgrn/, 60_000, `worker ${i} ready`)));
      const out = join(OUT, "redis");
      const batch = new Proc(process.execPath, [DGRN, "batch", "--plan", PLAN, "--out", out, "--redis", url]);
      // kill worker 0 in the middle of its first job (after the pipeline has started)
      const [, killedId] = await workers[0]!.waitFor(/start ([0-9a-f]{12})/, 60_000, "worker 0 to start a job");
      await workers[0]!.waitFor(new RegExp(`start ${killedId}[^\\n]*\\n`), 1000, "the start line");
      await new Promise((r) => setTimeout(r, 400));
      assert.not.ok(/wrote /.test(workers[0]!.err), "worker 0 must not have finished its job before the kill");
      workers[0]!.child.kill("SIGKILL");
      const code = await waitForExit(batch, 150_000, "dgrn batch --redis");
      assert.is(code, 0, batch.err);
      assert.match(batch.err, /6 done, 0 failed, 0 pending/);

      // exactly one complete result per job; the killed job was taken over by worker 1
      const ids = jobIds(out);
      assert.is(ids.length, 6, ids.join(" "));
      const manifest = JSON.parse(readFileSync(join(out, "batch-jobs.json"), "utf8"));
      assert.equal(ids, manifest.jobs.map((j: { id: string }) => j.id).sort());
      const wrote = [...(workers[0]!.err + workers[1]!.err).matchAll(/wrote ([0-9a-f]{12})/g)].map((m) => m[1]!);
      assert.equal(
        [...wrote].sort(),
        ids.map((id) => id.slice(0, 12)),
        `each job written once:\n${workers[1]!.err}`,
      );
      assert.ok(
        workers[1]!.err.includes(`wrote ${killedId}`),
        `the killed job ${killedId} was recovered by worker 1:\n${workers[1]!.err}`,
      );
      for (const id of ids) {
        assert.equal(readdirSync(join(out, "jobs", id)).sort(), [
          "config.json",
          "job.json",
          "report.html",
          "results.json",
          "timings.json",
        ]);
        assert.is(JSON.parse(resultsOf(out, id).toString()).schema, "dgrn-results/1");
      }
      // the queue keeps each job's state and summary
      const st = dgrnSync("batch", "status", "--out", out, "--redis", url);
      assert.is(st.status, 0, st.stderr);
      assert.match(st.stdout, /^6 jobs: 6 done\n/);
      redisOut = out;
    } finally {
      for (const w of workers) w.child.kill("SIGTERM");
      await Promise.all(workers.map((w) => waitForExit(w, 30_000, "worker stop").catch(() => w.child.kill("SIGKILL"))));
      redis.child.kill("SIGTERM");
      await waitForExit(redis, 10_000, "redis-server stop").catch(() => redis.child.kill("SIGKILL"));
    }
  });
}

test("local pool: the same plan, the same jobs and bytes; each results.json identical to dgrn run", async () => {
  const out = join(OUT, "local");
  const batch = new Proc(process.execPath, [DGRN, "batch", "--plan", PLAN, "--out", out, "--workers", "2"]);
  const code = await waitForExit(batch, 150_000, "dgrn batch (local)");
  assert.is(code, 0, batch.err);
  assert.match(batch.err, /\[batch\] 6 jobs: 0 already done, 6 to run on 2 local worker thread/);
  assert.match(batch.err, /\[batch\]\s+[0-9a-f]{12} \[3\/7\] graph/, "per-job progress");
  const ids = jobIds(out);
  assert.is(ids.length, 6);
  if (redisOut) {
    assert.equal(jobIds(redisOut), ids, "same job ids in both modes");
    for (const id of ids)
      assert.ok(
        resultsOf(out, id).equals(resultsOf(redisOut, id)),
        `job ${id.slice(0, 12)}: local pool and BullMQ results differ`,
      );
  }
  const refs = await dgrnRunReferences(out);
  for (const id of ids)
    assert.ok(resultsOf(out, id).equals(refs.get(id)!), `job ${id.slice(0, 12)}: batch and dgrn run results differ`);
  // the collection
  const csv = readFileSync(join(out, "batch.csv"), "utf8").trim().split("\n");
  assert.is(csv.length, 7);
  const head = csv[0]!.split(",");
  for (const col of ["id", "input", "state", "seed", "ari", "auroc", "rgNodes", "sigma[0]", "decoding[0]", "error"])
    assert.ok(head.includes(col), `batch.csv has ${col}: ${csv[0]}`);
  const row = (input: string, seed: number) =>
    csv
      .slice(1)
      .map((l) => l.split(","))
      .find((c) => c[head.indexOf("input")] === input && c[head.indexOf("seed")] === String(seed))!;
  const sim = row("simulate#1", 1);
  const res = JSON.parse(resultsOf(out, sim[0]!).toString());
  assert.is(Number(sim[head.indexOf("ari")]), res.graph.scores.ari, "ARI read from results.json");
  assert.is(row("rec.csv", 2)[head.indexOf("ari")], "", "no ground truth for a recording: empty cell");
  const html = readFileSync(join(out, "batch.html"), "utf8");
  assert.match(html, /<svg/);
  assert.not.match(html, /<script|https?:\/\/(?!www\.w3\.org)/, "self-contained");
  const bj = JSON.parse(readFileSync(join(out, "batch.json"), "utf8"));
  assert.equal(bj.counts, { total: 6, done: 6, failed: 0, pending: 0 });
  localOut = out;
});

test("rerun with a bad input: done jobs skipped, the bad ones fail with their error line, the others untouched", () => {
  assert.ok(localOut, "needs the local run");
  const out = localOut!;
  writeFileSync(join(OUT, "one-neuron.csv"), "neuron,time\n0,0.1\n0,0.2\n0,0.5\n");
  const plan2 = join(OUT, "plan2.json");
  writeFileSync(
    plan2,
    JSON.stringify({
      base: BASE,
      inputs: ["rec.csv", { simulate: { duration: 1, n: 100, clusters: 4 } }, "one-*.csv"],
      grid: { seed: [1, 2, 3] },
    }),
  );
  const before = new Map(jobIds(out).map((id) => [id, statSync(join(out, "jobs", id, "results.json")).mtimeMs]));
  const r = dgrnSync("batch", "--plan", plan2, "--out", out, "--workers", "2", "--backoff", "10");
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /\[batch\] 9 jobs: 6 already done, 3 to run/);
  const lines = r.stderr.trim().split("\n");
  assert.match(
    lines[lines.length - 1]!,
    /^dgrn: 3 of 9 jobs failed; first: one-neuron\.csv seed=1: .*at least 2.* \[ERR_INVALID_DATA\]$/,
  );
  assert.not.match(r.stderr, /\[batch\] retry/, "a bad input is not retried");
  for (const [id, mtime] of before)
    assert.is(statSync(join(out, "jobs", id, "results.json")).mtimeMs, mtime, `job ${id.slice(0, 12)} untouched`);
  assert.is(jobIds(out).length, 6, "no folder for a failed job");
  const st = dgrnSync("batch", "status", "--out", out);
  assert.is(st.status, 0, st.stderr);
  assert.match(st.stdout, /^9 jobs: 6 done, 3 failed\n/);
  assert.is(
    st.stdout.match(/^failed [0-9a-f]{12} one-neuron\.csv seed=\d: .*at least 2.*\[ERR_INVALID_DATA\]$/gm)?.length,
    3,
    st.stdout,
  );
  const csv = readFileSync(join(out, "batch.csv"), "utf8");
  assert.is(csv.match(/,failed,/g)?.length, 3);
  assert.ok(!existsSync(join(out, "jobs", ".tmp")), "no temporary folders left");
});

test.run();
