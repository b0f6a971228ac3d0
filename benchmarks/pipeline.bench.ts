// The whole default run (what `npm start` does): wall time per stage and peak
// memory, in a child process so its resident set is its own. Target (issue 9):
// under 60 s and under 2 GB on this 2-core machine.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { report } from "./harness.js";

const out = mkdtempSync(join(tmpdir(), "dgrn-bench-run-"));
const script = `
  const t0 = performance.now();
  const { main } = await import(${JSON.stringify(new URL("../dist/node/cli.js", import.meta.url).href)});
  const code = await main(["run", "--out", ${JSON.stringify(out)}, "--quiet"]);
  const ru = process.resourceUsage();
  console.log(JSON.stringify({ code, ms: performance.now() - t0, maxRssKiB: ru.maxRSS, cpuUserMs: ru.userCPUTime / 1000 }));
`;
const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
if (r.status !== 0) throw new Error(r.stderr);
const res = JSON.parse(r.stdout.trim().split("\n").pop()!);
const timings = JSON.parse(readFileSync(join(out, "timings.json"), "utf8")) as {
  stage: string;
  ms: number;
  peakKernelBytes: number;
}[];
report("pipeline", [
  ...timings.map((t) => ({
    case: `pipeline:stage=${t.stage}`,
    ms: Math.round(t.ms),
    peakKernelMiB: +(t.peakKernelBytes / 2 ** 20).toFixed(1),
    target: null,
  })),
  { case: "pipeline:default-run (incl. report)", ms: Math.round(res.ms), peakKernelMiB: null, target: "< 60000 ms" },
  { case: "pipeline:max-rss-MiB", ms: null, peakKernelMiB: +(res.maxRssKiB / 1024).toFixed(0), target: "< 2048 MiB" },
]);
