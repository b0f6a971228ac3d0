// Child process of tests/cli/output.test.ts: writes one output set into argv[2]
// with OutputDir and SIGKILLs itself at event number argv[3] of the commit
// (−1: after taking the lock, before the commit; a large number: never).
// The set's files all carry the tag argv[4], so the parent can tell sets apart.
import { OutputDir } from "../../sdk/cli/output.js";

const [dir, at, tag] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]!];
const big = `${tag}:` + "x".repeat(3 * 1024 * 1024); // > 1 MiB: written in chunks, so "file-partial" happens
const out = OutputDir.prepare("--out", dir);
let k = 0;
const hit = (): void => {
  if (k++ === at) process.kill(process.pid, "SIGKILL");
};
if (at === -1) process.kill(process.pid, "SIGKILL");
out.commit(
  { "results.json": JSON.stringify({ tag }), "timings.json": JSON.stringify({ tag, t: 1 }), "report.html": big },
  () => hit(),
);
out.release();
process.stdout.write(`events ${k}\n`);
