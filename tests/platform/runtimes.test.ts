// The same .wasm (same sha256) in Node, Deno and headless Chromium, giving the same bits.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kernel, randomBits, dot } from "../helpers/setup.js";
import { chromiumPath, launch, openPage, serve } from "../helpers/browser.js";

const test = suite("platform/runtimes");
const builtSha = createHash("sha256").update(readFileSync("dist/dgrn.wasm")).digest("hex");
const expected = {
  sha256: builtSha,
  bits: Array.from(randomBits(16, { seed: 12345, stream: 3 })),
  dot: dot([1, 2, 3], [4, 5, 6]),
};

test("Node loads dist/dgrn.wasm (sha256 as built)", () => {
  assert.is(kernel.info.sha256, builtSha);
  assert.is(kernel.info.platform, "node");
});

test("the kernel build is deterministic: compiling twice gives byte-identical wasm", () => {
  const dir = mkdtempSync(join(tmpdir(), "dgrn-det-"));
  const outs = [join(dir, "a.wasm"), join(dir, "b.wasm")];
  for (const out of outs) {
    const r = spawnSync(process.execPath, ["build/build.mjs", "--wasm-only", "--out", out], { encoding: "utf8" });
    assert.is(r.status, 0, r.stderr);
  }
  const [a, b] = outs.map((f) => createHash("sha256").update(readFileSync(f)).digest("hex"));
  assert.is(a, b);
  assert.is(a, builtSha, "and identical to dist/dgrn.wasm");
});

test("Deno loads the same wasm and draws the same bits", () => {
  const deno = join("node_modules", ".bin", "deno");
  if (!existsSync(deno)) {
    console.log("  (skipped: the deno npm package's binary is absent; `npm install` provides it)");
    return;
  }
  const r = spawnSync(deno, ["run", "--no-config", "--no-lock", "--allow-read", "tests/platform/deno-smoke.js"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  });
  assert.is(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.is(got.platform, "deno");
  assert.is(got.sha256, expected.sha256);
  assert.equal(got.bits, expected.bits);
  assert.is(got.dot, expected.dot);
});

test("headless Chromium loads the same wasm (fetch + compileStreaming) and draws the same bits", async () => {
  const exe = chromiumPath();
  if (!exe) {
    console.log("  (skipped: no chromium; `.ci/run` installs Debian's chromium)");
    return;
  }
  const server = await serve(".");
  const browser = await launch(exe);
  try {
    const { page, errors } = await openPage(browser, `${server.url}/tests/platform/smoke.html`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, {
      timeout: 30_000,
    });
    const got = (await page.evaluate(
      () => (window as unknown as { __result: unknown }).__result,
    )) as typeof expected & { platform: string };
    assert.is(got.platform, "browser");
    assert.is(got.sha256, expected.sha256);
    assert.equal(got.bits, expected.bits);
    assert.is(got.dot, expected.dot);
    assert.equal(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test.run();
