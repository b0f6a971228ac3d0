#!/usr/bin/env node
// Test runner: every tests/**/*.test.ts in one process under uvu, TypeScript
// loaded through tsx. Ends with the line `N passed, N failed` (and skipped).
//
//   node build/test.mjs               all tests
//   node build/test.mjs lrg           only files whose path matches /lrg/
import { readdir } from "node:fs/promises";
import { join, dirname, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;

async function walk(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.name.endsWith(".test.ts")) out.push(p);
  }
  return out.sort();
}

const files = (await walk(join(root, "tests"))).filter((f) => !filter || filter.test(relative(root, f)));
globalThis.UVU_DEFER = 1;
const uvu = await import("uvu");
let idx = 0;
for (const file of files) {
  globalThis.UVU_INDEX = idx++;
  globalThis.UVU_QUEUE.push([relative(root, file)]);
  await import(pathToFileURL(file).href);
}

// uvu prints its own totals; capture them to print the closing line.
let captured = "";
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  captured += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
  return write(chunk, ...rest);
};
await uvu.exec(false);
process.stdout.write = write;
const plain = captured.replace(/\x1b\[[0-9;]*m/g, "");
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const failed = total - passed - skipped;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || total === 0) process.exitCode = 1;
process.exit();
