// Bit-reproducibility across runtimes: no implementation-defined JS Math in
// result paths, and the kernel's elementary functions give the correctly
// rounded values for simple arguments.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { exp, log, log1p, expm1, pow } from "../../sdk/math.js";
import "../helpers/setup.js";

const test = suite("kernel/determinism");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
}

test("no JS Math.exp/log/pow/trig or ** in the SDK's result paths (they differ between V8 versions)", () => {
  // The report draws, the CLI prints, and sdk/math.ts is the replacement itself.
  const files = walk("sdk").filter((f) => !/^sdk\/(report|cli)\//.test(f) && f !== "sdk/math.ts");
  const bad: string[] = [];
  const pattern =
    /Math\.(exp|log|log1p|log2|log10|expm1|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|cbrt|hypot)\(|(?<!\b2) \*\* /; // 2 ** k is exact everywhere
  for (const f of files) {
    readFileSync(f, "utf8")
      .split("\n")
      .forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, "");
        if (/^\s*\*/.test(line)) return; // doc comments
        if (pattern.test(code)) bad.push(`${f}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.equal(bad, [], `use sdk/math.ts instead:\n${bad.join("\n")}`);
});

test("kernel elementary functions: exact or correctly rounded on simple arguments", () => {
  assert.is(exp(0), 1);
  assert.is(exp(1), 2.718281828459045);
  assert.is(log(1), 0);
  assert.is(log(2), 0.6931471805599453);
  assert.is(log(Math.E), 1);
  assert.is(log1p(0), 0);
  assert.is(expm1(0), 0);
  assert.is(pow(2, 10), 1024);
  assert.is(pow(9, 0.5), 3);
  assert.is(exp(-Infinity), 0);
  assert.is(log(0), -Infinity);
  assert.ok(Number.isNaN(log(-1)));
});

test.run();
