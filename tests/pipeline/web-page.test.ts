// The web page as a person uses it, in headless Chromium: options, progress
// within stages, cancel, and the error display.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { chromiumPath, launch, openPage, serve } from "../helpers/browser.js";
import type { Browser, Page } from "playwright-core";
import { runPipeline } from "../helpers/setup.js";

const test = suite("pipeline/web-page");
const exe = chromiumPath();
let server: Awaited<ReturnType<typeof serve>> | null = null;
let browser: Browser | null = null;

test.before(async () => {
  if (!exe) return;
  server = await serve(".");
  browser = await launch(exe);
});
test.after(async () => {
  await browser?.close();
  await server?.close();
});

async function page(): Promise<{ page: Page; errors: string[] }> {
  return openPage(browser!, `${server!.url}/dist/web/index.html`);
}

async function setOptions(p: Page, o: Record<string, string>): Promise<void> {
  for (const [id, v] of Object.entries(o)) await p.fill(`#opt-${id}`, v);
}

const settled = "body[data-state=done], body[data-state=error], body[data-state=cancelled]";

test("options reach the pipeline (fraction, bin size, seed, duration, surrogates, decoding off), with progress within stages and the warnings shown", async () => {
  if (!exe) return console.log("  (skipped: no chromium)");
  const { page: p, errors } = await page();
  await setOptions(p, { fraction: "0.15", bin: "20", seed: "2", duration: "1.5", surrogates: "0" });
  await p.uncheck("#opt-decode");
  await p.click("#simulate");
  await p.waitForSelector(settled, { timeout: 240_000 });
  assert.is(await p.getAttribute("body", "data-state"), "done", (await p.textContent("#error")) ?? "");
  const status = (await p.textContent("#status")) ?? "";
  assert.match(status, /done: 150 of 1000 neurons observed, bins of 20 ms, seed 2/);
  // progress: every stage appears, and the dynamics stage reports fractions strictly between 0 and 1
  const log = await p.$$eval("#log li", (lis) =>
    lis.map((li) => ({ stage: li.getAttribute("data-stage"), f: Number(li.getAttribute("data-fraction")) })),
  );
  for (const s of ["data", "bin", "graph", "lrg", "tn", "dynamics", "report"])
    assert.ok(
      log.some((l) => l.stage === s),
      `stage ${s} in the progress log`,
    );
  assert.ok(
    log.some((l) => l.stage === "dynamics" && l.f > 0 && l.f < 1),
    "the dynamics stage's own fraction",
  );
  // decoding was switched off: no decoding figure
  assert.is(await p.$("#fig-decoding"), null);
  assert.ok(await p.$("#fig-sigma"));
  const nWarn = Number(/(\d+) warnings?$/.exec(status)?.[1] ?? "0");
  if (nWarn > 0) {
    assert.is(await p.getAttribute("#warnings", "hidden"), null, "warnings visible");
    assert.is((await p.$$("#warnings li")).length, nWarn);
  }
  assert.equal(errors, []);
});

test("the page's run (its pipeline worker with a pool of Web Workers) gives Node's results.json, bit for bit", async () => {
  if (!exe) return console.log("  (skipped: no chromium)");
  const { page: p, errors } = await page();
  await setOptions(p, { fraction: "0.2", seed: "3", duration: "2", surrogates: "3" });
  await p.click("#simulate");
  await p.waitForSelector(settled, { timeout: 240_000 });
  assert.is(await p.getAttribute("body", "data-state"), "done", (await p.textContent("#error")) ?? "");
  const last = JSON.parse(await p.evaluate(() => JSON.stringify((globalThis as { dgrnLast?: unknown }).dgrnLast))) as {
    config: Record<string, unknown>;
    results: unknown;
  };
  // the run had a pool (a pool whose workers failed to start would have failed the run)
  assert.match((await p.textContent("#status")) ?? "", /figures, on [1-9]\d* workers?, /);
  const node = runPipeline(last.config as never).results;
  assert.is(JSON.stringify(last.results), JSON.stringify(node));
  assert.equal(errors, []);
});

test("cancel terminates the worker mid-run; the page runs again afterwards", async () => {
  if (!exe) return console.log("  (skipped: no chromium)");
  const { page: p, errors } = await page();
  await setOptions(p, { duration: "20" });
  assert.is(await p.isDisabled("#cancel"), true, "nothing to cancel before a run");
  await p.click("#simulate");
  await p.waitForSelector("#log li", { timeout: 60_000 });
  assert.is(await p.isDisabled("#cancel"), false);
  const t0 = Date.now();
  await p.click("#cancel");
  await p.waitForSelector(settled, { timeout: 10_000 });
  assert.is(await p.getAttribute("body", "data-state"), "cancelled");
  assert.ok(Date.now() - t0 < 10_000);
  assert.is(await p.textContent("#status"), "cancelled");
  assert.is((await p.$$("figure")).length, 0);
  // a fresh worker: a short run completes
  await setOptions(p, { duration: "1", surrogates: "0", fraction: "0.1" });
  await p.click("#simulate");
  await p.waitForSelector(settled, { timeout: 240_000 });
  assert.is(await p.getAttribute("body", "data-state"), "done", (await p.textContent("#error")) ?? "");
  assert.match((await p.textContent("#status")) ?? "", /done: 100 of 1000 neurons/);
  assert.equal(errors, []);
});

test("a bad option is shown as the pipeline's error, with its code", async () => {
  if (!exe) return console.log("  (skipped: no chromium)");
  const { page: p } = await page();
  await setOptions(p, { fraction: "0" });
  await p.click("#simulate");
  await p.waitForSelector(settled, { timeout: 60_000 });
  assert.is(await p.getAttribute("body", "data-state"), "error");
  const err = (await p.textContent("#error")) ?? "";
  assert.match(err, /config\.fraction/);
  assert.match(err, /\[ERR_OUT_OF_RANGE\]$/);
  assert.is(await p.textContent("#status"), "failed");
  assert.is(await p.isDisabled("#simulate"), false, "the page can run again");
});

test.run();
