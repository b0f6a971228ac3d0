import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { VERSION, ABI_VERSION } from "../helpers/setup.js";

const test = suite("cli");
const dgrn = (...args: string[]) => spawnSync(process.execPath, ["bin/dgrn.js", ...args], { encoding: "utf8" });

test("--version prints the package version; VERSION matches package.json", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  assert.is(VERSION, pkg.version);
  const r = dgrn("--version");
  assert.is(r.status, 0);
  assert.is(r.stdout.trim(), pkg.version);
});

test("--help lists the commands", () => {
  const r = dgrn("--help");
  assert.is(r.status, 0);
  assert.match(r.stdout, /Usage: dgrn/);
  assert.match(r.stdout, /info/);
});

test("an unknown command is one error line and a non-zero exit, no stack trace", () => {
  const r = dgrn("frobnicate");
  assert.is.not(r.status, 0);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.not.match(r.stderr, /\n\s+at /);
});

test("info --json reports the kernel's sha256, equal to the built file's", () => {
  const r = dgrn("info", "--json");
  assert.is(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.is(info.kernel.sha256, readFileSync("dist/dgrn.wasm.sha256", "utf8").trim());
  assert.is(info.kernel.abi, ABI_VERSION); // derived from the export signatures (build/abi.mjs)
});

test.run();
