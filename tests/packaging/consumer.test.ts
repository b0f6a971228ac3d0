// The package as a user gets it: a consumer project that imports "dgrn"
// type-checks against the shipped declarations (dist/types) and sees their
// TSDoc; a wrong use is a type error (so the check can fail); require() says
// the package is ESM-only; a browser app that only computes stays small.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

const run = promisify(execFile);
const tsc = join(root, "node_modules/typescript/bin/tsc");

/** A consumer project with `node_modules/dgrn` → this package, and the given files. */
async function consumer(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dgrn-consumer-"));
  await mkdir(join(dir, "node_modules"), { recursive: true });
  await symlink(root, join(dir, "node_modules/dgrn"), "dir");
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        lib: ["ES2023", "DOM"],
        types: [],
      },
      include: ["*.ts"],
    }),
  );
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function typecheck(dir: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [tsc, "-p", dir], { cwd: dir });
    return { code: 0, out: r.stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: err.code ?? 1, out: err.stdout ?? String(e) };
  }
}

test('a consumer project type-checks `import { init } from "dgrn"` and `dgrn/report` against the shipped .d.ts', async () => {
  const dir = await consumer({
    "main.ts": [
      'import { init, simulateLIF, binSpikes, DgrnError, ErrorCode, type SpikeData } from "dgrn";',
      'import { renderReport } from "dgrn/report";',
      "await init();",
      "const { spikes } = simulateLIF({ duration: 1, seed: 1 });",
      "const data: SpikeData = spikes;",
      "const binned = binSpikes(data, { binSize: 0.01 });",
      "const n: number = binned.nNeurons;",
      "const code: string = ErrorCode.OUT_OF_RANGE;",
      "const isErr = (e: unknown): boolean => e instanceof DgrnError;",
      "const render: typeof renderReport = renderReport;",
      "console.log(n, code, isErr, render);",
    ].join("\n"),
  });
  try {
    const r = await typecheck(dir);
    assert.is(r.code, 0, r.out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a wrong use of the API is a type error (the declarations are not `any`)", async () => {
  const dir = await consumer({
    "main.ts": [
      'import { simulateLIF } from "dgrn";',
      'const r = simulateLIF({ duration: "long" });',
      "const s: string = r.truth;",
      "console.log(s);",
    ].join("\n"),
  });
  try {
    const r = await typecheck(dir);
    assert.is.not(r.code, 0);
    assert.match(r.out, /TS2322/); // a string where a number is expected, and truth is not a string
    assert.not.match(r.out, /TS7016/); // never "no declaration file"
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the shipped declarations carry the TSDoc (@param, @returns, @example)", async () => {
  const dts = await readFile(join(root, "dist/types/kernel/init.d.ts"), "utf8");
  const doc = /\/\*\*([\s\S]*?)\*\/\s*export declare function init\(/.exec(dts);
  assert.ok(doc, "init has a doc comment in dist/types/kernel/init.d.ts");
  for (const tag of ["@param", "@returns", "@throws", "@example"])
    assert.ok(doc![1]!.includes(tag), `init's TSDoc has ${tag}`);
});

test('require("dgrn") fails with one clear line: the package is ESM-only', async () => {
  const dir = await consumer({});
  try {
    await writeFile(
      join(dir, "main.cjs"),
      'try { require("dgrn"); } catch (e) { console.log(e.code + " " + e.message); }',
    );
    const r = await run(process.execPath, [join(dir, "main.cjs")], { cwd: dir });
    assert.match(r.stdout, /^ERR_REQUIRE_ESM dgrn is ESM-only/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a hello-world browser app that only computes bundles to ≤ 500 kB gzipped (plus dgrn.wasm)", async () => {
  const esbuild = await import("esbuild");
  const dir = await consumer({
    "app.js":
      'import { init, simulateLIF } from "dgrn";\nawait init();\nconsole.log(simulateLIF({ duration: 1, seed: 1 }).spikes.nNeurons);\n',
  });
  try {
    const out = join(dir, "out");
    const r = await esbuild.build({
      entryPoints: [join(dir, "app.js")],
      absWorkingDir: dir,
      bundle: true,
      format: "esm",
      splitting: true,
      minify: true,
      platform: "browser",
      outdir: out,
      metafile: true,
      logLevel: "silent",
      write: true,
    });
    // What the page loads before any NWB file is read: the entry and its static imports.
    const outputs = r.metafile!.outputs;
    const entry = Object.keys(outputs).find((k) => outputs[k]!.entryPoint?.endsWith("app.js"))!;
    const seen = new Set<string>();
    const walk = (k: string) => {
      if (seen.has(k)) return;
      seen.add(k);
      for (const imp of outputs[k]!.imports) if (imp.kind === "import-statement" && !imp.external) walk(imp.path);
    };
    walk(entry);
    let gz = 0;
    for (const k of seen) gz += gzipSync(await readFile(join(dir, k))).length;
    const all = (await readdir(out)).filter((f) => f.endsWith(".js"));
    console.log(
      `[bundle] hello-world app: ${(gz / 1024).toFixed(0)} kB gzipped in ${seen.size} file(s) loaded at start; ${all.length} file(s) in all (h5wasm for NWB loads on demand)`,
    );
    assert.ok(gz <= 500 * 1024, `gzipped start-up bundle ${gz} bytes`);
    assert.ok(gz > 10 * 1024, "the bundle holds the SDK");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
