// The fuzz suite (issue 17): hostile and extreme inputs for every command
// (tests/fuzz/cases.ts, ≥ 300 cases). Each case must end with exit 0 and a
// correct result, or exit 2 with exactly one line `dgrn: <message> [ERR_…]`;
// within 5 s of CPU and 500 MB peak RSS; leaving no temporary file.
//
// Cases run in-process in a forked worker (tests/fuzz/worker.mjs, the built
// CLI's main()), so the suite costs one process start, not one per case; a
// worker that hangs past the wall limit is killed and restarted.
//
//   npm test         a seeded sample (DGRN_FUZZ_SEED, default 17; DGRN_FUZZ_SAMPLE, default 80)
//   npm run fuzz     every case (DGRN_FUZZ=full), the slow whole-pipeline ones included
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { fork, type ChildProcess } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildCases, type FuzzCase } from "./cases.js";

const test = suite("fuzz");
const FULL = process.env["DGRN_FUZZ"] === "full";
const SEED = Number(process.env["DGRN_FUZZ_SEED"] ?? 17);
const SAMPLE = Number(process.env["DGRN_FUZZ_SAMPLE"] ?? 80);
const CPU_LIMIT = 5; // s
const SLOW_CPU_LIMIT = 90; // s, whole-pipeline cases (full run only)
const RSS_LIMIT = 500 * 1024 * 1024;
const WALL_LIMIT = Number(process.env["DGRN_FUZZ_WALL"] ?? 30); // s: a hang on a loaded 2-core machine

interface Outcome {
  id: string;
  status: number;
  stdout: string;
  stderr: string;
  crash: string | null;
  cpu: number;
  wall: number;
  maxRss: number;
}

/** Seeded choice of `k` of `n` indices (Fisher–Yates on an LCG; test selection only). */
function sample(n: number, k: number, seed: number): number[] {
  let s = seed >>> 0;
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}

class Worker {
  #child: ChildProcess | null = null;
  #pending: ((o: Outcome | null) => void) | null = null;

  async start(): Promise<void> {
    const child = fork(join(dirname(new URL(import.meta.url).pathname), "worker.mjs"), [], {
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    this.#child = child;
    await new Promise<void>((res, rej) => {
      child.once("message", () => res());
      child.once("exit", (code) => rej(new Error(`fuzz worker exited (${code}) before it was ready`)));
    });
    child.on("message", (m) => {
      if (this.#child !== child) return;
      const p = this.#pending;
      this.#pending = null;
      p?.(m as Outcome);
    });
    child.on("exit", () => {
      if (this.#child !== child) return; // an old worker we killed
      const p = this.#pending;
      this.#pending = null;
      this.#child = null;
      p?.(null);
    });
  }

  async run(c: FuzzCase, cwd: string, wallSeconds: number): Promise<Outcome | "timeout" | "died"> {
    if (!this.#child) await this.start();
    const child = this.#child!;
    return new Promise((res) => {
      const timer = setTimeout(() => {
        this.#pending = null;
        child.kill("SIGKILL");
        this.#child = null;
        res("timeout");
      }, wallSeconds * 1000);
      this.#pending = (o) => {
        clearTimeout(timer);
        res(o ?? "died");
      };
      child.send({ id: c.id, argv: c.argv, sdk: c.sdk, cwd });
    });
  }

  restart(): void {
    this.#child?.kill("SIGKILL");
    this.#child = null;
  }

  stop(): void {
    this.#child?.kill("SIGKILL");
  }
}

/** Leftovers the output rule forbids: temporaries, links, stale locks, probes, unlinked run directories. */
function leftovers(dir: string): string[] {
  const bad: string[] = [];
  const walk = (d: string) => {
    const names = readdirSync(d);
    const live = new Set<string>();
    for (const n of names) {
      try {
        if (lstatSync(join(d, n)).isSymbolicLink()) live.add(readlinkSync(join(d, n)));
      } catch {
        // ignore
      }
    }
    for (const n of names) {
      const p = join(d, n);
      if (/\.tmp-\d|\.link-|\.old-|\.lock$|\.dgrn-probe/.test(n)) bad.push(p);
      else if (/^\..+\.run-/.test(n) && !live.has(n)) bad.push(p);
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return bad;
}

/** The verdict on one outcome: null when it meets the contract, else why not. */
/** Wall-clock limit of a case: generous (a loaded machine), except for awaiting-marked cases in the sample, which get the spec's 5 s so that known hangs cost little. */
const wallOf = (c: FuzzCase): number => (c.slow ? 20 * WALL_LIMIT : c.awaiting && !FULL ? 5 : WALL_LIMIT);

function judge(c: FuzzCase, o: Outcome | "timeout" | "died", dir: string): string | null {
  if (o === "timeout") return `hung: no answer within ${wallOf(c)} s`;
  if (o === "died") return "the process died (abort, fatal out-of-memory or a crash no catch saw)";
  if (o.crash) return `crashed: ${o.crash.split("\n")[0]}`;
  const budget = c.slow ? SLOW_CPU_LIMIT : CPU_LIMIT;
  if (o.cpu > budget) return `took ${o.cpu.toFixed(1)} s of CPU (limit ${budget} s)`;
  if (o.maxRss > RSS_LIMIT) return `peak RSS ${(o.maxRss / 2 ** 20).toFixed(0)} MB (limit 500 MB)`;
  const left = leftovers(dir);
  if (left.length) return `left temporary files: ${left.join(", ")}`;
  const isHelp = c.argv?.includes("--help") || c.argv?.includes("--version");
  if (o.status === 0) {
    if (c.expect === "error")
      return `exit 0 where an error is correct (silently accepted); stdout ${JSON.stringify(o.stdout.slice(0, 120))}`;
    if (!isHelp && o.stderr.trim() !== "" && !/^warning: /m.test(o.stderr)) {
      // a success may print warnings, but not error lines
      if (/^dgrn: /m.test(o.stderr)) return `exit 0 but stderr says ${JSON.stringify(o.stderr.slice(0, 200))}`;
    }
    return c.check ? c.check(o.stdout, dir) : null;
  }
  if (o.status !== 2)
    return `exit ${o.status} (only 0 and 2 are allowed; 70 means a bug): ${JSON.stringify(o.stderr.slice(0, 300))}`;
  if (c.expect === "ok") return `exit 2 where success is correct: ${JSON.stringify(o.stderr.slice(0, 300))}`;
  const lines = o.stderr.split("\n").filter((l) => l !== "");
  if (lines.length !== 1) return `${lines.length} stderr lines, not one: ${JSON.stringify(o.stderr.slice(0, 300))}`;
  const m = /^dgrn: (.+) \[(ERR_[A-Z_]+)\]$/.exec(lines[0]!);
  if (!m) return `not a typed line: ${JSON.stringify(lines[0])}`;
  if (c.code && m[2] !== c.code) return `code ${m[2]}, expected ${c.code}`;
  if (/`(opts|options|config)\.[a-zA-Z]+(\[\d+\])*`/.test(m[1]!) && c.argv && c.argv[0] !== "run")
    return `names an SDK parameter, not a flag: ${lines[0]}`;
  return null;
}

test(`hostile inputs: exit 0 with a correct result or exit 2 with one typed line (${FULL ? "every case" : `seeded sample, seed ${SEED}`})`, async () => {
  const all = buildCases();
  assert.ok(all.length >= 300, `at least 300 cases (${all.length})`);
  const ids = new Set(all.map((c) => c.id));
  assert.is(ids.size, all.length, "case ids are unique");
  const pool = FULL ? all : all.filter((c) => !c.slow);
  // the cases the issue lists are always run; the rest are sampled
  const listed = (c: FuzzCase) =>
    /2\^40|1e9x0|hex-id|9999999|deep-100000|npy-neg-dim|bin="1e-9"|1e308|2147483647|2\^31-1|n-1e9|out\/|renderReport-null|randomUniform-1e12|semicolon-short|t0-duration0|truncated|lzf|duplicate/.test(
      c.id,
    );
  const chosen = FULL
    ? pool
    : [...new Set([...pool.filter(listed), ...sample(pool.length, SAMPLE, SEED).map((i) => pool[i]!)])];
  const root = mkdtempSync(join(tmpdir(), "dgrn-fuzz-"));
  const w = new Worker();
  const failures: string[] = [];
  const awaiting: string[] = [];
  const passedAwaiting: string[] = [];
  let maxCpu = 0;
  let maxCpuId = "";
  const t0 = performance.now();
  try {
    await w.start();
    for (const [k, c] of chosen.entries()) {
      const dir = join(root, String(k));
      mkdirSync(dir);
      for (const [name, data] of Object.entries(c.files ?? {})) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), data);
      }
      const o = await w.run(c, dir, wallOf(c));
      const why = judge(c, o, dir);
      if (typeof o === "object" && o.cpu > maxCpu) ((maxCpu = o.cpu), (maxCpuId = c.id));
      if (typeof o === "object" && o.maxRss > 0.8 * RSS_LIMIT) w.restart(); // peak RSS is per process: start afresh
      if (why && c.awaiting) awaiting.push(`${c.id}: ${why} [awaiting ${c.awaiting}]`);
      else if (why) failures.push(`${c.id}: ${why}`);
      else if (c.awaiting) passedAwaiting.push(c.id);
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    w.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `  fuzz: ${chosen.length} of ${all.length} cases in ${secs.toFixed(1)} s (max CPU ${maxCpu.toFixed(2)} s: ${maxCpuId}); ` +
      `${failures.length} failed, ${awaiting.length} awaiting another branch, ${passedAwaiting.length} awaiting-marked cases already pass${passedAwaiting.length ? ` (${passedAwaiting.join(", ")})` : ""}`,
  );
  if (awaiting.length) console.log("  awaiting (not counted as failures):\n    " + awaiting.join("\n    "));
  assert.equal(failures, [], failures.join("\n"));
});

test.run();
