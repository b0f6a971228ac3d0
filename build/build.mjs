#!/usr/bin/env node
// Build: AssemblyScript kernels → ONE dist/dgrn.wasm, then the SDK bundles.
//
//   node build/build.mjs            incremental (skips asc when sources are unchanged)
//   node build/build.mjs --force    rebuild everything
//   node build/build.mjs --wasm-only --out FILE   compile the kernel to FILE (determinism test)
//
// The wasm step is content-addressed: a hash of every file under assembly/,
// the compiler version and the flags is stored beside the output, so a second
// `npm test` or `npm start` does not pay for -O3 again.
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, readdir, writeFile, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const force = args.includes("--force");
const wasmOnly = args.includes("--wasm-only");
const outArg = args.includes("--out") ? args[args.indexOf("--out") + 1] : null;
const quiet = args.includes("--quiet");
const log = (...m) => quiet || console.error("[build]", ...m);

/** The kernel build flags. No relaxed SIMD: Node 20 needs a flag for it. */
export const ASC_FLAGS = [
  "assembly/index.ts",
  "--optimizeLevel", "3",
  "--shrinkLevel", "0",
  "--converge",
  "--runtime", "stub",
  "--enable", "simd",
  "--noAssert",
  "--initialMemory", "17",
];

async function listFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out.sort();
}

async function sourceHash() {
  const h = createHash("sha256");
  const ascPkg = JSON.parse(await readFile(join(root, "node_modules/assemblyscript/package.json"), "utf8"));
  h.update(`asc ${ascPkg.version}\n${ASC_FLAGS.join(" ")}\n`);
  for (const f of await listFiles(join(root, "assembly"))) {
    h.update(relative(root, f).replaceAll("\\", "/") + "\n");
    h.update(await readFile(f));
  }
  return h.digest("hex");
}

async function compileWasm(outFile) {
  const asc = (await import("assemblyscript/asc")).default;
  let stderr = "";
  const { error } = await asc.main([...ASC_FLAGS, "--outFile", outFile], {
    stdout: { write: () => true },
    stderr: { write: (s) => ((stderr += s), true) },
  });
  if (error) {
    console.error(stderr);
    throw new Error(`asc failed: ${error.message}`);
  }
}

async function buildWasm() {
  const out = join(root, "dist/dgrn.wasm");
  const stampFile = join(root, "dist/dgrn.wasm.srchash");
  const hash = await sourceHash();
  if (!force) {
    try {
      const [stamp] = await Promise.all([readFile(stampFile, "utf8"), stat(out)]);
      if (stamp.trim() === hash) {
        log("kernel up to date");
        return;
      }
    } catch {}
  }
  const t0 = performance.now();
  await compileWasm(out);
  await writeFile(stampFile, hash + "\n");
  const bytes = await readFile(out);
  const sha = createHash("sha256").update(bytes).digest("hex");
  await writeFile(join(root, "dist/dgrn.wasm.sha256"), sha + "\n");
  log(`kernel ${bytes.length} bytes, sha256 ${sha.slice(0, 16)}…, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function buildBundles() {
  const esbuild = await import("esbuild");
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  const external = [...Object.keys(pkg.dependencies ?? {})];
  const common = { bundle: true, format: "esm", target: "es2022", sourcemap: true, logLevel: "warning", legalComments: "none" };
  const define = { __DGRN_VERSION__: JSON.stringify(pkg.version) };
  const t0 = performance.now();
  await Promise.all([
    // Node: npm dependencies stay external (installed beside us).
    esbuild.build({ ...common, define, platform: "node", external, entryPoints: [join(root, "sdk/targets/node.ts")], outfile: join(root, "dist/node/index.js") }),
    esbuild.build({ ...common, define, platform: "node", external, entryPoints: [join(root, "sdk/cli/main.ts")], outfile: join(root, "dist/node/cli.js") }),
    // The batch pool's thread entry (dgrn batch / dgrn worker), loaded beside cli.js.
    esbuild.build({ ...common, define, platform: "node", external, entryPoints: [join(root, "sdk/batch/pool-worker.ts")], outfile: join(root, "dist/node/batch-worker.js") }),
    // Browser and Deno: everything bundled; platform "browser" makes any Node
    // built-in import a build error, so none can leak in.
    esbuild.build({ ...common, define, platform: "browser", entryPoints: [join(root, "sdk/targets/browser.ts")], outfile: join(root, "dist/browser/index.js") }),
    esbuild.build({ ...common, define, platform: "browser", entryPoints: [join(root, "sdk/targets/deno.ts")], outfile: join(root, "dist/deno/index.js") }),
    // The browser page (examples/web): the app and its pipeline worker.
    esbuild.build({ ...common, define, platform: "browser", entryPoints: [join(root, "examples/web/app.ts")], outfile: join(root, "dist/web/app.js") }),
    esbuild.build({ ...common, define, platform: "browser", entryPoints: [join(root, "examples/web/worker.ts")], outfile: join(root, "dist/web/worker.js") }),
  ]);
  await copyFile(join(root, "examples/web/index.html"), join(root, "dist/web/index.html"));
  log(`bundles in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

await mkdir(join(root, "dist"), { recursive: true });
if (wasmOnly) {
  await compileWasm(outArg ?? join(root, "dist/dgrn.wasm"));
} else {
  await buildWasm();
  await buildBundles();
}
