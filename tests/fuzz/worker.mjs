// Fuzz worker (tests/fuzz/fuzz.test.ts forks it): runs CLI cases in-process
// through the built CLI's main() (dist/node/cli.js) and SDK cases through the
// built SDK, one at a time, and reports for each: exit status, captured
// stdout/stderr, CPU seconds and the process's peak RSS. The parent enforces
// the wall-clock limit (it kills a worker that hangs) and judges the result.
import { main } from "../../dist/node/cli.js";
import * as core from "../../dist/node/index.js";
import * as report from "../../dist/node/report.js";

// the package's two entry points, `dgrn` and `dgrn/report`, as one namespace
const sdk = { ...core, ...report };

await sdk.init();

function capture() {
  const out = [];
  const err = [];
  const ow = process.stdout.write;
  const ew = process.stderr.write;
  process.stdout.write = (c, ...r) => (out.push(String(c)), typeof r.at(-1) === "function" && r.at(-1)(), true);
  process.stderr.write = (c, ...r) => (err.push(String(c)), typeof r.at(-1) === "function" && r.at(-1)(), true);
  return () => {
    process.stdout.write = ow;
    process.stderr.write = ew;
    return { stdout: out.join(""), stderr: err.join("") };
  };
}

/** SDK cases: a named call on the built SDK; a DgrnError is status 2 with its one line, like the CLI. */
async function sdkCase(c) {
  const args = c.sdk.args.map((a) => (a && a.$bytes ? Uint8Array.from(Buffer.from(a.$bytes, "base64")) : a));
  const r = await sdk[c.sdk.fn](...args);
  return r === undefined ? "undefined" : "ok";
}

process.on("message", async (c) => {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const restore = capture();
  let status = 0;
  let crash = null;
  try {
    if (c.sdk) {
      try {
        await sdkCase(c);
      } catch (e) {
        if (e instanceof sdk.DgrnError) {
          status = 2;
          process.stderr.write(`dgrn: ${e.message} [${e.code}]\n`);
        } else {
          status = 70;
          process.stderr.write(`sdk: untyped ${e?.constructor?.name}: ${e?.message}\n`);
        }
      }
    } else {
      process.chdir(c.cwd);
      status = await main(c.argv);
    }
  } catch (e) {
    crash = String(e?.stack ?? e);
    status = 70;
  }
  const { stdout, stderr } = restore();
  const cpu = process.cpuUsage(cpu0);
  process.send({
    id: c.id,
    status,
    stdout: stdout.length > 200000 ? stdout.slice(0, 200000) : stdout,
    stderr: stderr.slice(0, 20000),
    crash,
    cpu: (cpu.user + cpu.system) / 1e6,
    wall: (performance.now() - t0) / 1000,
    maxRss: process.resourceUsage().maxRSS * 1024,
  });
});
process.send({ ready: true });
