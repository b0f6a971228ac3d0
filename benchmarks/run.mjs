#!/usr/bin/env node
// `npm run bench`: runs every benchmarks/*.bench.ts (or those matching argv[2]),
// each in its own process, so one peer's memory does not skew another's timing.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;
const files = readdirSync("benchmarks")
  .filter((f) => f.endsWith(".bench.ts") && (!filter || filter.test(f)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n# ${f}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", `benchmarks/${f}`], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
