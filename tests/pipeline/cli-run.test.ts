// `dgrn run`: outputs on success; one clear line, a non-zero exit and no
// results.json on bad input.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMALL_CONFIG_PATH } from "../helpers/pipeline.js";

const test = suite("pipeline/cli-run");
const OUT = "tests/output/cli-run";
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const dgrn = (...args: string[]) => spawnSync(process.execPath, ["bin/dgrn.js", ...args], { encoding: "utf8" });

test("dgrn run writes results.json, report.html and timings.json", () => {
  const out = join(OUT, "ok");
  const r = dgrn("run", "--config", SMALL_CONFIG_PATH, "--out", out, "--seed", "1");
  assert.is(r.status, 0, r.stderr);
  assert.equal(readdirSync(out).sort(), ["report.html", "results.json", "timings.json"]);
  const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  assert.is(res.schema, "dgrn-results/1");
  assert.is(res.config.seed, 1);
  assert.match(readFileSync(join(out, "report.html"), "utf8"), /<svg/);
  assert.match(r.stderr, /\[1\/7\] data/, "plain progress lines when stderr is not a TTY");
  assert.match(r.stderr, /\[6\/7\] dynamics: \d+ % /, "the stage's own fraction, in plain lines");
  // every warning of results.json is printed after the run
  assert.ok(res.warnings.length > 0, "the small run has weak results to report");
  assert.match(r.stderr, new RegExp(`${res.warnings.length === 1 ? "1 warning" : `${res.warnings.length} warnings`}:`));
  for (const w of res.warnings) assert.ok(r.stderr.includes(`! ${w}`), `printed: ${w}`);
  const q = dgrn("run", "--config", SMALL_CONFIG_PATH, "--out", join(OUT, "quiet"), "--quiet");
  assert.is(q.status, 0, q.stderr);
  assert.is(q.stderr, "");
  assert.ok(
    readFileSync(join(OUT, "quiet", "results.json")).equals(readFileSync(join(out, "results.json"))),
    "same seed, same bytes",
  );
});

const bad: Array<[string, string, string | null, RegExp, string]> = [
  ["a missing file", "missing.csv", null, /cannot|could not read/i, "ERR_IO"],
  ["a file in no known format", "garbage.npy", "this is not an npy file", /NPY|magic/i, "ERR_INVALID_FORMAT"],
  ["an empty recording", "empty.csv", "", /empty|no spikes|no rows/i, ""],
  [
    "a recording with a single neuron",
    "one.csv",
    "neuron,time\n0,0.1\n0,0.2\n0,0.5\n",
    /at least 2/i,
    "ERR_INVALID_DATA",
  ],
];
for (const [what, name, content, msg, code] of bad) {
  test(`bad input (${what}): one error line, exit 2, no results.json`, () => {
    const file = join(OUT, name);
    if (content !== null) writeFileSync(file, content);
    const out = join(OUT, `bad-${name}`);
    const r = dgrn("run", "--input", file, "--out", out);
    assert.is(r.status, 2, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.is(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^dgrn: /);
    assert.match(lines[0]!, msg);
    if (code) assert.ok(lines[0]!.includes(`[${code}]`), lines[0]);
    assert.not.ok(existsSync(join(out, "results.json")));
  });
}

test("a bad --config is one error line too", () => {
  const cfg = join(OUT, "bad-config.json");
  writeFileSync(cfg, JSON.stringify({ fraction: 2 }));
  const r = dgrn("run", "--config", cfg, "--out", join(OUT, "bad-config"));
  assert.is(r.status, 2);
  assert.match(r.stderr, /fraction.*\[ERR_OUT_OF_RANGE\]/);
  writeFileSync(cfg, "{ not json");
  const s = dgrn("run", "--config", cfg, "--out", join(OUT, "bad-config"));
  assert.is(s.status, 2);
  assert.match(s.stderr, /not valid JSON/);
});

test("the README's SDK example runs as written (examples/readme.mjs)", () => {
  const r = spawnSync(process.execPath, ["examples/readme.mjs"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /500 1000/);
});

test.run();
