// The kernel ABI with teeth: the SDK's type of the kernel
// (sdk/kernel/exports.generated.ts, which the areas pick from) is generated from
// dist/dgrn.wasm's own export signatures and is not stale, it declares every
// export with the module's number of parameters and nothing else, and
// the ABI version the SDK was built with is the one derived from the module's
// own export signatures (build/abi.mjs), stored in its "dgrn.abi" section.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { abiOf, exportSignatures } from "../../build/abi.mjs";
import { kernelExportsModule } from "../../build/kernel-exports.mjs";
import { ABI_FINGERPRINT, ABI_VERSION } from "../../sdk/kernel/abi.ts";
import { kernel } from "../helpers/setup.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

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

/** name → parameter count of every method of the generated `KernelExports` interface. */
function declaredExports(text: string): Map<string, number> {
  const sf = ts.createSourceFile("exports.generated.ts", text, ts.ScriptTarget.ES2022, true);
  const out = new Map<string, number>();
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === "KernelExports")
      for (const m of node.members)
        if (ts.isMethodSignature(m) && ts.isIdentifier(m.name)) out.set(m.name.text, m.parameters.length);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

test("sdk/kernel/exports.generated.ts is what build/kernel-exports.mjs makes of dist/dgrn.wasm and assembly/", async () => {
  const committed = await readFile(join(root, "sdk/kernel/exports.generated.ts"), "utf8");
  const bytes = new Uint8Array(await readFile(join(root, "dist/dgrn.wasm")));
  assert.ok(committed === (await kernelExportsModule(bytes)), "stale: run `npm run build` and commit the file");
});

test("KernelExports declares every export of the module, each with the module's number of parameters", async () => {
  const sigs = exportSignatures(new Uint8Array(await readFile(join(root, "dist/dgrn.wasm"))));
  const declared = declaredExports(await readFile(join(root, "sdk/kernel/exports.generated.ts"), "utf8"));
  assert.ok(sigs.length > 50, `the module exports ${sigs.length} functions`);
  const wrong: string[] = [];
  for (const s of sigs) {
    const arity = declared.get(s.name);
    if (arity === undefined) wrong.push(`${s.name}: not declared`);
    else if (arity !== s.params.length)
      wrong.push(`${s.name}: declared with ${arity}, the kernel takes ${s.params.length}`);
    // the live instance agrees with the binary
    const fn = (kernel.exports as unknown as Record<string, unknown>)[s.name];
    if (typeof fn !== "function" || fn.length !== s.params.length) wrong.push(`${s.name}: instance arity`);
  }
  for (const name of declared.keys()) if (!sigs.some((s) => s.name === name)) wrong.push(`${name}: not exported`);
  assert.equal(wrong, []);
});

/** A minimal wasm module exporting one empty function `name` of the given wasm types. */
function oneExport(name: string, params: number[], results: number[]): Uint8Array {
  const vec = (items: number[][]) => [items.length, ...items.flat()];
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  const nameBytes = [...new TextEncoder().encode(name)];
  // no locals; `unreachable` stands in for a result; end
  const body = results.length ? [0x00, 0x00, 0x0b] : [0x00, 0x0b];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, params.length, ...params, results.length, ...results]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[nameBytes.length, ...nameBytes, 0x00, 0]])),
    ...section(10, vec([[body.length, ...body]])),
  ]);
}

test("the generator types each export from the binary, with the source's parameter names where the counts agree", async () => {
  const I32 = 0x7f,
    I64 = 0x7e,
    F64 = 0x7c;
  // rngSeed as assembly/random declares it: the source's names
  const same = await kernelExportsModule(oneExport("rngSeed", [I32, I32, I32, I32], []));
  assert.match(same, /\n {2}rngSeed\(s: number, seedLo: number, seedHi: number, stream: number\): void;\n/);
  // a binary whose rngSeed takes one more (f64) parameter and returns an i64: the binary's
  // types and count win, the source's names no longer fit and are not used
  const other = await kernelExportsModule(oneExport("rngSeed", [I32, I32, I32, I32, F64], [I64]));
  assert.match(other, /\n {2}rngSeed\(p0: number, p1: number, p2: number, p3: number, p4: number\): bigint;\n/);
  assert.is(declaredExports(other).size, 1);
  // a module valid for the engine, so the hand-made bytes are what a kernel could be
  assert.ok(WebAssembly.validate(new Uint8Array(oneExport("rngSeed", [I32, I32, I32, I32, F64], [I64]))));
});

test.run();
