// Doctests: every `@example` in the SDK's TSDoc is run. Each example is run
// in its own block with every SDK export in scope (imports from "dgrn" and
// "dgrn/report" are dropped: everything is already there) and a few common
// fixtures (a small simulation, its binned activity and states, the inferred
// graph and its RG flow), so short examples need not repeat the set-up.
// An example that names something neither it nor this prelude defines is
// not self-contained: it is counted and listed, not run to a verdict. Every
// other example must run without throwing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as sdk from "../helpers/setup.ts";
import * as report from "../../sdk/report/index.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(root, "tests/output/doctest");
mkdirSync(OUT, { recursive: true });

interface Example {
  file: string;
  line: number;
  code: string;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out.sort();
}

/** Every ```ts block under an `@example` tag of a doc comment in sdk/ (the CLI has none). */
function examples(): Example[] {
  const out: Example[] = [];
  for (const file of walk(join(root, "sdk"))) {
    const text = readFileSync(file, "utf8");
    const re = /\/\*\*[\s\S]*?\*\//g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const doc = m[0].replace(/^\s*\/?\*+ ?/gm, "").replace(/\*\/$/, "");
      const at = doc.indexOf("@example");
      if (at < 0) continue;
      const block = /```ts\n([\s\S]*?)```/.exec(doc.slice(at));
      if (!block) continue;
      out.push({ file: relative(root, file), line: text.slice(0, m.index).split("\n").length, code: block[1]! });
    }
  }
  return out;
}

const names = [...new Set([...Object.keys(sdk), ...Object.keys(report)])].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
const prelude = (dgrnPath: string, reportPath: string) =>
  [
    `import * as __dgrn from ${JSON.stringify(dgrnPath)};`,
    `import * as __report from ${JSON.stringify(reportPath)};`,
    `const { ${names.filter((n) => n in sdk).join(", ")} } = __dgrn as any;`,
    `const { ${names.filter((n) => !(n in sdk)).join(", ")} } = __report as any;`,
    "await init();",
    "const { spikes, truth, binned, states, graph, rg, flow } = (globalThis as any).__doctestFixtures;",
    "export {};",
  ].join("\n");

/** The fixtures every example may use, computed once. */
function fixtures() {
  const { spikes, truth } = sdk.simulateLIF({ duration: 2, seed: 1 });
  const binned = sdk.subsample(sdk.binSpikes(spikes, { binSize: 0.01 }), { fraction: 0.2, seed: 1 });
  const states = sdk.binarize(binned);
  const graph = sdk.inferGraph(binned, { seed: 1 });
  const rg = sdk.laplacianRG(graph);
  return { spikes, truth, binned, states, graph, rg, flow: rg.flow };
}

test("every self-contained @example in the SDK runs", async () => {
  const all = examples();
  assert.ok(all.length > 50, `found ${all.length} examples`);
  const head = prelude(
    pathToFileURL(join(root, "tests/helpers/setup.ts")).href,
    pathToFileURL(join(root, "sdk/report/index.ts")).href,
  );
  (globalThis as { __doctestFixtures?: unknown }).__doctestFixtures = fixtures();
  const failed: string[] = [];
  const notSelfContained: string[] = [];
  let ran = 0;
  for (const [i, ex] of all.entries()) {
    // imports from dgrn are dropped (all in scope); other imports move above the block
    const lines = ex.code.split("\n");
    const isImport = (l: string) => /^\s*import\s.*from\s+["'][^"']+["'];?\s*$/.test(l);
    const isDgrn = (l: string) => /from\s+["']dgrn(\/report)?["']/.test(l);
    const hoisted = lines.filter((l) => isImport(l) && !isDgrn(l)).join("\n");
    const body = lines.filter((l) => !isImport(l)).join("\n");
    const file = join(OUT, `example-${String(i).padStart(3, "0")}.ts`);
    writeFileSync(file, `${hoisted}\n${head}\n{\n${body}\n}\n`);
    const where = `${ex.file}:${ex.line}`;
    try {
      await import(pathToFileURL(file).href);
      ran++;
    } catch (e) {
      const err = e as Error;
      // names it does not define, or a file of the user's it reads: not self-contained
      if (err instanceof ReferenceError || /is not defined|ENOENT/.test(err?.message ?? ""))
        notSelfContained.push(`${where} (${err.message})`);
      else failed.push(`${where}: ${err?.constructor?.name}: ${err?.message}`);
    }
  }
  console.log(
    `[doctest] ${ran} of ${all.length} examples ran; ${notSelfContained.length} not self-contained:\n  ${notSelfContained.join("\n  ")}`,
  );
  assert.equal(failed, []);
  assert.ok(ran >= all.length / 2, `at least half of the examples are self-contained (${ran} of ${all.length})`);
});

test.run();
