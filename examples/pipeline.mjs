// Run the pipeline from the built SDK and write results.json: the same script
// under Node and Deno gives a byte-identical file.
//
//   node examples/pipeline.mjs out/results.json [config.json]
//   deno run --allow-read --allow-write examples/pipeline.mjs out/results.json [config.json]
const isDeno = typeof Deno !== "undefined";
const dgrn = await import(isDeno ? "../dist/deno/index.js" : "../dist/node/index.js");
const args = isDeno ? Deno.args : process.argv.slice(2);
const out = args[0] ?? "results.json";

const readText = isDeno
  ? (p) => Deno.readTextFile(p)
  : async (p) => (await import("node:fs/promises")).readFile(p, "utf8");
const writeText = isDeno
  ? (p, s) => Deno.writeTextFile(p, s)
  : async (p, s) => (await import("node:fs/promises")).writeFile(p, s);

await dgrn.init();
const config = args[1] ? JSON.parse(await readText(args[1])) : {};
const { results } = dgrn.runPipeline(config);
await writeText(out, JSON.stringify(results, null, 1) + "\n");
console.log(
  `${isDeno ? "deno" : "node"}: wrote ${out} (${results.lrg.flow.length} RG steps, kernel ${results.dgrn.kernelSha256.slice(0, 12)})`,
);
