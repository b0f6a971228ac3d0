// Regenerate docs/report.png and docs/web.png from the default run:
//   node build/build.mjs && npx tsx examples/web/screenshots.ts
// The report is `dgrn run`'s report.html (the default: the simulated clustered
// LIF network, seed 1), opened from disk; the page is dist/web/index.html served
// locally, run with its default options (the same run, in a Web Worker).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromiumPath, launch, openPage, serve } from "../../tests/helpers/browser.js";

const exe = chromiumPath();
if (!exe) throw new Error("no chromium (set CHROMIUM_PATH or install Debian's chromium)");
const out = "tests/output/screenshots";
const r = spawnSync(process.execPath, ["bin/dgrn.js", "run", "--out", out, "--quiet"], {
  encoding: "utf8",
  stdio: ["ignore", "inherit", "inherit"],
});
if (r.status !== 0) throw new Error(`dgrn run failed (${r.status})`);
const browser = await launch(exe);
const server = await serve(".");
try {
  const report = await openPage(browser, pathToFileURL(resolve(out, "report.html")).href);
  await report.page.setViewportSize({ width: 1280, height: 900 });
  await report.page.screenshot({ path: "docs/report.png", fullPage: true });
  const web = await openPage(browser, `${server.url}/dist/web/index.html`);
  await web.page.setViewportSize({ width: 1280, height: 900 });
  await web.page.click("#simulate");
  await web.page.waitForSelector("body[data-state=done], body[data-state=error]", { timeout: 600_000 });
  await web.page.screenshot({ path: "docs/web.png", fullPage: true });
  console.log(
    `wrote docs/report.png and docs/web.png (page state: ${await web.page.getAttribute("body", "data-state")})`,
  );
} finally {
  await browser.close();
  await server.close();
}
