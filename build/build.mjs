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
import { execFile } from "node:child_process";
import { promisify } from "node:util";
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

/** Hash of files (paths and bytes) plus a prefix: the stamp that lets a step be skipped. */
async function filesHash(prefix, files) {
  const h = createHash("sha256");
  h.update(prefix);
  for (const f of files) {
    h.update(relative(root, f).replaceAll("\\", "/") + "\n");
    h.update(await readFile(f));
  }
  return h.digest("hex");
}

/**
 * The shipped type declarations (dist/types, the `types` of every export):
 * tsc over sdk/ with declarations only, TSDoc kept. Skipped when sdk/ and the
 * tsconfig files are unchanged.
 */
async function buildTypes() {
  const stampFile = join(root, "dist/types.srchash");
  const files = [join(root, "tsconfig.json"), join(root, "tsconfig.types.json"), ...(await listFiles(join(root, "sdk")))];
  const ts = JSON.parse(await readFile(join(root, "node_modules/typescript/package.json"), "utf8"));
  const hash = await filesHash(`tsc ${ts.version}\n`, files);
  if (!force) {
    try {
      if ((await readFile(stampFile, "utf8")).trim() === hash) return log("types up to date");
    } catch {}
  }
  const t0 = performance.now();
  try {
    await promisify(execFile)(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.types.json")], { cwd: root, maxBuffer: 1 << 26 });
  } catch (e) {
    console.error(e.stdout || e.message);
    throw new Error("tsc failed to emit the type declarations (dist/types)");
  }
  await writeFile(stampFile, hash + "\n");
  log(`types in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
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
  // Minified ES modules with code splitting: the package entry (`dgrn`), the
  // report (`dgrn/report`: vega, vega-lite) and h5wasm (loaded by a dynamic
  // import only when an NWB file is read) are separate files, so an app that
  // only computes does not download the report or HDF5. Entries that share
  // code share one chunk, hence one kernel instance. Chunks sit beside the
  // entries, so `new URL("../dgrn.wasm", import.meta.url)` holds in each.
  const common = {
    bundle: true, format: "esm", target: "es2022", sourcemap: true, logLevel: "warning", legalComments: "none",
    minify: true, splitting: true, chunkNames: "chunk-[hash]",
  };
  const define = { __DGRN_VERSION__: JSON.stringify(pkg.version) };
  const entries = (target) => ({ index: join(root, `sdk/targets/${target}.ts`), report: join(root, "sdk/report/index.ts") });
  const t0 = performance.now();
  await Promise.all([
    // Node: npm dependencies stay external (installed beside us); the CLI shares the SDK's chunks.
    esbuild.build({ ...common, define, platform: "node", external, entryPoints: { ...entries("node"), cli: join(root, "sdk/cli/main.ts") }, outdir: join(root, "dist/node") }),
    // Browser and Deno: everything bundled; platform "browser" makes any Node
    // built-in import a build error, so none can leak in.
    esbuild.build({ ...common, define, platform: "browser", entryPoints: entries("browser"), outdir: join(root, "dist/browser") }),
    esbuild.build({ ...common, define, platform: "browser", entryPoints: entries("deno"), outdir: join(root, "dist/deno") }),
    // The browser page (examples/web): the app and its pipeline worker (one file each: a classic page script and a worker).
    esbuild.build({ ...common, splitting: false, define, platform: "browser", entryPoints: [join(root, "examples/web/app.ts")], outfile: join(root, "dist/web/app.js") }),
    esbuild.build({ ...common, splitting: false, define, platform: "browser", entryPoints: [join(root, "examples/web/worker.ts")], outfile: join(root, "dist/web/worker.js") }),
  ]);
  await copyFile(join(root, "examples/web/index.html"), join(root, "dist/web/index.html"));
  log(`bundles in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

await mkdir(join(root, "dist"), { recursive: true });
if (wasmOnly) {
  await compileWasm(outArg ?? join(root, "dist/dgrn.wasm"));
} else {
  await buildWasm();
  await Promise.all([buildBundles(), buildTypes()]);
}
