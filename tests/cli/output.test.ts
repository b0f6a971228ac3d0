// Output writing (sdk/cli/output.ts): paths checked before work, temporaries
// never left behind, dgrn run's directory swapped as one set, a lock against
// two runs, and a kill -9 test at ten points of the commit: the directory
// always holds the previous complete set or the new complete set.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  lstatSync,
  readlinkSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { buildSync } from "esbuild";
import { join } from "node:path";
import { checkOutputPath, OutputDir, pendingTemporaries, writeFileSet } from "../../sdk/cli/output.js";
import { DgrnIOError, ErrorCode, throwsCode } from "../helpers/setup.js";

const test = suite("cli/output");
const root = mkdtempSync(join(tmpdir(), "dgrn-out-"));

/** The set a directory shows: tag of each file, or null when there is no complete single-tag set. */
function setTag(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const names = readdirSync(dir).sort();
  if (names.join(",") !== "report.html,results.json,timings.json") return null;
  const a = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")).tag;
  const b = JSON.parse(readFileSync(join(dir, "timings.json"), "utf8")).tag;
  const html = readFileSync(join(dir, "report.html"), "utf8");
  const c = html.slice(0, html.indexOf(":"));
  const complete = html.length === c.length + 1 + 3 * 1024 * 1024;
  return a === b && b === c && complete ? a : null;
}

// the child is bundled once with esbuild (plain node starts in a fraction of tsx's time)
const childJs = join(root, "output-child.mjs");
buildSync({
  entryPoints: ["tests/cli/output-child.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: childJs,
  logLevel: "silent",
});

function child(dir: string, at: number, tag: string): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [childJs, dir, String(at), tag], { encoding: "utf8" });
}

test("paths are checked before work: a directory for a file, a file for a directory, under a file, /proc", () => {
  const f = join(root, "file.txt");
  writeFileSync(f, "x");
  throwsCode(() => checkOutputPath("--out", root, "file"), DgrnIOError, ErrorCode.IO);
  throwsCode(() => checkOutputPath("--out", f, "dir"), DgrnIOError, ErrorCode.IO);
  throwsCode(() => checkOutputPath("--out", join(f, "sub", "g.json"), "file"), DgrnIOError, ErrorCode.IO);
  throwsCode(() => checkOutputPath("--out", "/proc/x", "dir"), DgrnIOError, ErrorCode.IO);
  throwsCode(() => checkOutputPath("--out", "/proc/x/y.json", "file"), DgrnIOError, ErrorCode.IO);
  throwsCode(() => checkOutputPath("--out", "", "file"), DgrnIOError, ErrorCode.IO);
  try {
    checkOutputPath("--out", join(f, "g.json"), "file");
  } catch (e) {
    assert.match((e as Error).message, /file\.txt is a file, not a directory/);
  }
  checkOutputPath("--out", join(root, "new", "deeper", "g.json"), "file"); // fine: parents can be created
  assert.not.ok(existsSync(join(root, "new")), "checking creates nothing");
  assert.equal(
    readdirSync(root).filter((n) => n.startsWith(".dgrn-probe")),
    [],
    "the probe file is removed",
  );
});

test("writeFileSet: renames in order, creates parents, leaves no temporary after a failure", () => {
  const d = join(root, "set");
  writeFileSet([
    { path: join(d, "a", "s.csv.truth.json"), data: "{}" },
    { path: join(d, "a", "s.csv"), data: "neuron,time\n" },
  ]);
  assert.equal(readdirSync(join(d, "a")).sort(), ["s.csv", "s.csv.truth.json"]);
  mkdirSync(join(d, "isdir"));
  throwsCode(
    () =>
      writeFileSet([
        { path: join(d, "ok.json"), data: "1" },
        { path: join(d, "isdir"), data: "2" },
      ]),
    DgrnIOError,
    ErrorCode.IO,
  );
  assert.not.ok(existsSync(join(d, "ok.json")), "a failed set renames nothing");
  assert.equal(
    readdirSync(d).filter((n) => n.includes(".tmp-")),
    [],
    "no temporary left",
  );
  assert.equal(pendingTemporaries(), []);
});

test("OutputDir: a second run into a locked directory is a one-line ERR_IO naming the pid; a stale lock is taken over", () => {
  const d = join(root, "locked");
  const a = OutputDir.prepare("--out", d);
  writeFileSync(join(root, ".locked.lock"), `${process.pid === 1 ? 2 : 1}\n`); // pid 1 is alive
  try {
    OutputDir.prepare("--out", d);
    assert.unreachable("the second prepare must fail");
  } catch (e) {
    assert.instance(e, DgrnIOError);
    assert.match((e as Error).message, /another dgrn run \(pid 1\) is writing it/);
    assert.not.match((e as Error).message, /\n/);
  }
  a.release();
  writeFileSync(join(root, ".locked.lock"), "999999999\n"); // no such process: stale
  const b = OutputDir.prepare("--out", d);
  b.commit({ "results.json": "{}" });
  b.release();
  assert.not.ok(existsSync(join(root, ".locked.lock")));
  assert.ok(lstatSync(d).isSymbolicLink());
  assert.equal(readdirSync(d), ["results.json"]);
});

test("OutputDir: a foreign non-empty directory is refused before work; a pre-link set (old layout) is replaced", () => {
  const foreign = join(root, "foreign");
  mkdirSync(foreign);
  writeFileSync(join(foreign, "thesis.tex"), "x");
  throwsCode(() => OutputDir.prepare("--out", foreign), DgrnIOError, ErrorCode.IO);
  assert.ok(existsSync(join(foreign, "thesis.tex")));
  assert.not.ok(existsSync(join(root, ".foreign.lock")), "the lock is released on refusal");
  const legacy = join(root, "legacy");
  mkdirSync(legacy);
  for (const n of ["results.json", "timings.json", "report.html", "report.html.tmp-123"])
    writeFileSync(join(legacy, n), "old");
  const o = OutputDir.prepare("--out", legacy);
  o.commit({ "results.json": "new" });
  o.release();
  assert.equal(readdirSync(legacy), ["results.json"]);
  assert.is(readFileSync(join(legacy, "results.json"), "utf8"), "new");
  assert.equal(
    readdirSync(root).filter((n) => n.startsWith(".legacy.")).length,
    1,
    "only the live set remains beside it",
  );
});

test("kill -9 at ten points of a run's commit: always the previous complete set or the new one; the next run cleans up", () => {
  const d = join(root, "killed");
  const r0 = child(d, 1e9, "A");
  assert.is(r0.status, 0, String(r0.stderr));
  const events = Number(/events (\d+)/.exec(String(r0.stdout))?.[1]);
  assert.is(events, 9, "staging, a partial report, 3 files, set, link, swap, old removed");
  assert.is(setTag(d), "A");
  const seen: string[] = [];
  let prev = "A";
  // −1 = after the lock before the commit; 0…8 = after each commit event (the swap is event 7)
  for (let at = -1; at < events; at++) {
    const tag = `K${at + 1}`;
    const r = child(d, at, tag);
    assert.is(r.signal, "SIGKILL", `killed at ${at}`);
    const now = setTag(d);
    assert.ok(
      now === prev || now === tag,
      `kill at event ${at}: the directory shows ${now}, expected ${prev} or ${tag}`,
    );
    seen.push(`${at}:${now}`);
    prev = now!;
  }
  // the swap is the 8th event (index 7): killed after it, the new set is in place
  assert.ok(seen.includes("7:K8") && seen.includes("6:" + seen[7]!.split(":")[1]), seen.join(" "));
  // a clean run removes every leftover (staging dirs, links, old sets, the stale lock)
  const r = child(d, 1e9, "Z");
  assert.is(r.status, 0, String(r.stderr));
  assert.is(setTag(d), "Z");
  const left = readdirSync(root).filter((n) => n.startsWith(".killed."));
  assert.is(left.length, 1, `only the live set: ${left.join(", ")}`);
  assert.match(left[0]!, /^\.killed\.run-/);
});

test("a directory given as a symlink we did not make, and a relative path, still work", () => {
  const real = join(root, "realdir");
  mkdirSync(real);
  const link = join(root, "userlink");
  symlinkSync(real, link);
  const o = OutputDir.prepare("--out", link);
  o.commit({ "results.json": "{}" });
  o.release();
  assert.equal(readdirSync(link), ["results.json"]);
});

test("a link whose set was removed by hand is replaced by the next run", () => {
  const d = join(root, "dangle");
  for (const tag of ["1", "2"]) {
    const o = OutputDir.prepare("--out", d);
    o.commit({ "results.json": tag });
    o.release();
    if (tag === "1") rmSync(join(root, readlinkSync(d)), { recursive: true, force: true });
  }
  assert.is(readFileSync(join(d, "results.json"), "utf8"), "2");
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
