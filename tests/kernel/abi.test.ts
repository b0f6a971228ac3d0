// The kernel ABI with teeth: every kernel export the SDK declares (the
// `*Exports` interfaces under sdk/) exists in dist/dgrn.wasm with the same
// number of parameters, every exported function is declared somewhere, and
// the ABI version the SDK was built with is the one derived from the module's
// own export signatures (build/abi.mjs), stored in its "dgrn.abi" section.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { abiOf, exportSignatures } from "../../build/abi.mjs";
import { ABI_FINGERPRINT, ABI_VERSION } from "../../sdk/kernel/abi.ts";
import { kernel } from "../helpers/setup.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await tsFiles(p)));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** name → { interface, parameter count } for every method of every `interface *Exports` in sdk/. */
async function declaredExports(): Promise<Map<string, { where: string; arity: number }[]>> {
  const out = new Map<string, { where: string; arity: number }[]>();
  for (const file of await tsFiles(join(root, "sdk"))) {
    const text = await readFile(file, "utf8");
    if (!/interface \w+Exports\b/.test(text)) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      if (ts.isInterfaceDeclaration(node) && node.name.text.endsWith("Exports")) {
        for (const m of node.members) {
          if (ts.isMethodSignature(m) && m.name && ts.isIdentifier(m.name)) {
            const list = out.get(m.name.text) ?? [];
            list.push({ where: `${file.slice(root.length)}:${node.name.text}`, arity: m.parameters.length });
            out.set(m.name.text, list);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

test("the ABI version is derived from dist/dgrn.wasm's export signatures and stored in the module", async () => {
  const bytes = new Uint8Array(await readFile(join(root, "dist/dgrn.wasm")));
  const abi = abiOf(bytes);
  assert.is(abi.fingerprint, ABI_FINGERPRINT, "sdk/kernel/abi.ts is stale: run `npm run build`");
  assert.is(abi.version, ABI_VERSION);
  assert.is(kernel.info.abi, ABI_VERSION);
  const section = WebAssembly.Module.customSections(await WebAssembly.compile(bytes), "dgrn.abi");
  assert.is(section.length, 1);
  assert.equal(JSON.parse(new TextDecoder().decode(section[0]!)), abi);
});

test("every declared kernel export exists in the module with the declared number of parameters", async () => {
  const sigs = new Map(
    exportSignatures(new Uint8Array(await readFile(join(root, "dist/dgrn.wasm")))).map((s) => [s.name, s]),
  );
  const declared = await declaredExports();
  assert.ok(declared.size > 50, `found ${declared.size} declared exports`);
  const wrong: string[] = [];
  for (const [name, decls] of declared) {
    const sig = sigs.get(name);
    for (const d of decls) {
      if (!sig) wrong.push(`${d.where}.${name}: not exported by dgrn.wasm`);
      else if (sig.params.length !== d.arity)
        wrong.push(
          `${d.where}.${name}: declared with ${d.arity} parameters, the kernel takes ${sig.params.length} (${sig.params.join(", ")})`,
        );
    }
    // the live instance agrees with the binary
    const fn = (kernel.exports as unknown as Record<string, unknown>)[name];
    if (sig && typeof fn === "function" && fn.length !== sig.params.length)
      wrong.push(`${name}: instance arity ${fn.length}`);
  }
  assert.equal(wrong, []);
});

test("every function the kernel exports is declared in an `*Exports` interface of the SDK", async () => {
  const sigs = exportSignatures(new Uint8Array(await readFile(join(root, "dist/dgrn.wasm"))));
  const declared = await declaredExports();
  const undeclared = sigs.map((s) => s.name).filter((n) => !declared.has(n));
  assert.equal(undeclared, []);
});

test.run();
