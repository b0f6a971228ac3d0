// The report and the web page, as a person sees them: in headless Chromium.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromiumPath, launch, openPage, serve } from "../helpers/browser.js";

const test = suite("pipeline/browser");
const OUT = "tests/output/browser";
mkdirSync(OUT, { recursive: true });

/** The figures every report must show (id → a word its title contains). */
const FIGURES: Record<string, RegExp> = {
  raster: /raster.*whole recording/i,
  "raster-detail": /raster.*detail/i,
  adjacency: /adjacency/i,
  entropy: /entropy.*specific heat/i,
  flow: /node counts/i,
  metagraphs: /metagraphs/i,
  bonds: /bond/i,
  compression: /compression/i,
  "scale-entropy": /entropy per scale/i,
  sigma: /entropy production/i,
  prediction: /prediction per unit/i,
  decoding: /decoding/i,
};

async function figuresOf(page: import("playwright-core").Page) {
  return page.$$eval("figure", (figs) =>
    figs.map((f) => ({
      id: f.id,
      title: f.getAttribute("data-title") ?? "",
      svgTitle: f.querySelector("svg > title")?.textContent ?? null,
      marks: f.querySelectorAll("svg path, svg rect, svg line, svg circle").length,
      width: (f.querySelector("svg") as SVGSVGElement | null)?.getBoundingClientRect().width ?? 0,
    })),
  );
}

function checkFigures(figs: Awaited<ReturnType<typeof figuresOf>>, needSvgTitle: boolean, skip: string[] = []) {
  for (const [id, re] of Object.entries(FIGURES)) {
    if (skip.includes(id)) continue;
    const f = figs.find((x) => x.id === `fig-${id}`);
    assert.ok(f, `figure ${id} is missing (have ${figs.map((x) => x.id).join(", ")})`);
    assert.match(f!.title, re);
    if (needSvgTitle) assert.is(f!.svgTitle, f!.title, `the SVG of ${id} carries its title`);
    assert.ok(f!.marks > 5, `figure ${id} draws something (${f!.marks} marks)`);
    assert.ok(f!.width > 100, `figure ${id} has a visible size`);
  }
}

const exe = chromiumPath();

test("the default run's report.html (what `npm start` writes) opens from disk, shows every figure with its title, and logs no errors", async () => {
  if (!exe) return console.log("  (skipped: no chromium; `.ci/run` installs Debian's chromium)");
  const out = join(OUT, "run");
  // exactly `npm start`'s command, with another output folder
  const r = spawnSync(process.execPath, ["bin/dgrn.js", "run", "--out", out, "--quiet"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const browser = await launch(exe);
  try {
    const { page, errors } = await openPage(browser, pathToFileURL(resolve(out, "report.html")).href);
    // self-contained: nothing but the file itself is requested
    const requests: string[] = [];
    page.on("request", (req) => requests.push(req.url()));
    await page.reload();
    checkFigures(await figuresOf(page), true);
    assert.ok(await page.$("#parameters table tr"), "the parameters table is there");
    // every warning of results.json is in the box at the top
    const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { warnings: string[] };
    const shown = await page.$$eval("#warnings li", (lis) => lis.map((li) => li.textContent));
    assert.equal(shown, res.warnings);
    // no meaningless metric: no whole-word exact-match accuracy, no compression claimed when it failed
    const text = (await page.textContent("body")) ?? "";
    assert.not.match(text, /MPS params vs 2\^n/);
    assert.not.match(text, /prediction accuracy/i);
    assert.equal(
      requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:")),
      [],
    );
    assert.equal(errors, []);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(OUT, "report.png"), fullPage: true });
  } finally {
    await browser.close();
  }
});

test("the web page runs the pipeline in a Web Worker on a dropped file and shows the same figures", async () => {
  if (!exe) return console.log("  (skipped: no chromium)");
  const server = await serve(".");
  const browser = await launch(exe);
  try {
    const { page, errors } = await openPage(browser, `${server.url}/dist/web/index.html`);
    // a real drop: a File in a DataTransfer, dispatched on the drop zone (a recording: all its 200 units are observed, issue 14)
    const text = readFileSync("examples/data/lif-200.csv", "utf8");
    await page.evaluate((csv) => {
      const dt = new DataTransfer();
      dt.items.add(new File([csv], "lif-200.csv", { type: "text/csv" }));
      document
        .getElementById("drop")!
        .dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    await page.waitForSelector("body[data-state=done], body[data-state=error]", { timeout: 240_000 });
    const state = await page.getAttribute("body", "data-state");
    assert.is(state, "done", (await page.textContent("#error")) ?? "");
    assert.match((await page.textContent("#status")) ?? "", /done: 200 (of 200 )?neurons/);
    // a recording has no stimulus labels: no decoding figure
    checkFigures(await figuresOf(page), false, ["decoding"]);
    assert.is(await page.getAttribute("#download", "hidden"), null, "report.html can be downloaded");
    assert.equal(errors, []);
    await page.screenshot({ path: join(OUT, "web.png"), fullPage: true });
  } finally {
    await browser.close();
    await server.close();
  }
});

test.run();
