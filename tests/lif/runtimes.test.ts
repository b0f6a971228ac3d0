// The same seed gives bit-identical spikes in Node, Deno and headless
// Chromium (all randomness and math inside the one .wasm), and NWB reads
// through the lazily loaded h5wasm in each build.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as dgrn from "../helpers/setup.js";
import { makeNwb } from "../helpers/nwb.js";
import { chromiumPath, launch, openPage, serve } from "../helpers/browser.js";
// @ts-expect-error plain JS module shared with Deno and the browser
import { probe } from "./probe.js";

mkdirSync("tests/output/lif", { recursive: true });
const nwbPath = "tests/output/lif/probe.nwb";
writeFileSync(nwbPath, makeNwb({ units: [[0.1, 0.2], [], [0.05, 0.3, 0.31]], ids: [3, 4, 5] }));
const nwbBytes = makeNwb({ units: [[0.1, 0.2], [], [0.05, 0.3, 0.31]], ids: [3, 4, 5] });

type Probe = {
  platform: string;
  spikes: number;
  synapses: number;
  digest: string;
  csvDigest: string;
  blobDigest: string;
  nwbUnits: number;
  nwbDigest: string;
};
const expected = (await probe(dgrn, nwbBytes)) as Probe;

const test = suite("lif/runtimes");

test("Node: the probe simulates, round-trips CSV exactly and reads NWB", () => {
  assert.is(expected.platform, "node");
  assert.ok(expected.spikes > 100);
  assert.is(expected.csvDigest, expected.digest);
  assert.is(expected.blobDigest, expected.digest);
  assert.is(expected.nwbUnits, 3);
});

test("Deno: the same spikes, bit for bit, and the same NWB read", () => {
  const deno = join("node_modules", ".bin", "deno");
  if (!existsSync(deno)) {
    console.log("  (skipped: the deno npm package's binary is absent)");
    return;
  }
  const r = spawnSync(deno, ["run", "--no-config", "--no-lock", "--allow-read", "tests/lif/deno-probe.js", nwbPath], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  });
  assert.is(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split("\n").pop()!) as Probe;
  assert.equal({ ...got, platform: "node" }, expected);
  assert.is(got.platform, "deno");
});

test("Chromium: the same spikes, bit for bit, and NWB through the browser bundle's h5wasm", async () => {
  const exe = chromiumPath();
  if (!exe) {
    console.log("  (skipped: no chromium)");
    return;
  }
  const server = await serve(".");
  const browser = await launch(exe);
  try {
    const { page, errors } = await openPage(browser, `${server.url}/tests/lif/probe.html?nwb=/${nwbPath}`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, {
      timeout: 60_000,
    });
    const got = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as Probe & {
      error?: string;
    };
    assert.is(got.error, undefined, got.error);
    assert.equal({ ...got, platform: "node" }, expected);
    assert.is(got.platform, "browser");
    assert.equal(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test.run();
