// The CLI's error contract (sdk/cli/errors.ts): one line `dgrn: <message> [<CODE>]`
// and exit 2 for every user error, commander's own included; flag names, not
// SDK parameter names; exit 70 only for bugs.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { Command, CommanderError } from "commander";
import { classify, flagNames } from "../../sdk/cli/errors.js";
import { DgrnRangeError, DgrnIOError } from "../helpers/setup.js";

const test = suite("cli/errors");
const dgrn = (...args: string[]) => spawnSync(process.execPath, ["bin/dgrn.js", ...args], { encoding: "utf8" });
const LINE = /^dgrn: .+ \[ERR_[A-Z_]+\]\n$/;

function fakeCommand(): Command {
  const p = new Command("dgrn");
  const c = p
    .command("infer")
    .option("--bin-size <s>")
    .option("--diffusion-tau <t>")
    .option("--n-neurons <n>")
    .option("--tol <t>")
    .option("--lags <l>");
  return c;
}

test("flag names replace SDK option names the command has; everything else is untouched", () => {
  const c = fakeCommand();
  assert.is(
    flagNames("invalid argument. `opts.tol` must be >= 0. Value: `-1`.", c),
    "invalid argument. `--tol` must be >= 0. Value: `-1`.",
  );
  assert.is(flagNames("`options.nNeurons` must be …", c), "`--n-neurons` must be …");
  assert.is(flagNames("`options.binSize` must be …", c), "`--bin-size` must be …");
  assert.is(
    flagNames("`options.tau` must be …", c),
    "`--diffusion-tau` must be …",
    "the alias table: latent diffusion's tau is infer's --diffusion-tau",
  );
  assert.is(flagNames("`options.lags[1]` must be …", c), "`--lags` (element 1) must be …");
  assert.is(flagNames("`data.times` must be …", c), "`data.times` must be …", "not an options object");
  assert.is(flagNames("`options.seed` must be …", c), "`options.seed` must be …", "infer (here) has no --seed");
  assert.is(flagNames("`options.tol` …", undefined), "`options.tol` …");
});

test("classify: DgrnError and commander errors are exit 2 with one line; help is 0; RangeError allocation is OOM; others 70", () => {
  const c = fakeCommand();
  const a = classify(new DgrnRangeError("invalid argument. `opts.tol` must be\nmultiline. Value: `x`."), c);
  assert.is(a.status, 2);
  assert.is(a.line, "dgrn: invalid argument. `--tol` must be multiline. Value: `x`. [ERR_OUT_OF_RANGE]");
  const u = classify(new CommanderError(1, "commander.unknownOption", "error: unknown option '--x'"), c);
  assert.is(u.status, 2);
  assert.is(u.line, "dgrn: unknown option '--x' (see dgrn infer --help) [ERR_INVALID_OPTION]");
  assert.is(classify(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)")).status, 0);
  const oom = classify(new RangeError("Invalid typed array length: 1000000000000"));
  assert.is(oom.status, 2);
  assert.match(oom.line, /\[ERR_OUT_OF_MEMORY\]$/);
  const bug = classify(new TypeError("x is undefined"));
  assert.is(bug.status, 70);
  assert.match(bug.line, /^dgrn: internal error: x is undefined .*\[ERR_INTERNAL\]$/);
  assert.is(classify(new DgrnIOError("cannot read `f`")).status, 2);
});

test("through the real CLI: usage errors are one line and exit 2 (commander used to print two and exit 1)", () => {
  for (const args of [
    ["frobnicate"],
    ["infer", "--bogus"],
    ["inspect"],
    ["lrg", "--graph"],
    ["simulate", "--out", "a.csv", "--neurons", "abc"],
    ["run", "extra"],
    ["run", "--workers", "-1", "--out", "tests/output/never-written"],
    ["run", "--workers", "1.5"],
  ]) {
    const r = dgrn(...args);
    assert.is(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, LINE, `${args.join(" ")}: ${JSON.stringify(r.stderr)}`);
    assert.is(r.stdout, "");
  }
  const h = dgrn("infer", "--help");
  assert.is(h.status, 0);
  assert.match(h.stdout, /--bin/);
  // dgrn run's worker default is the machine's cores (at most 4), computed, not a literal
  const cores = Math.min(4, Math.max(1, availableParallelism()));
  assert.match(dgrn("run", "--help").stdout.replace(/\s+/g, " "), `at most 4 (default: ${cores})`);
});

test.run();
