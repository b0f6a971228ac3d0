// results.json has one definition, docs/results.schema.json: the TypeScript type
// is generated from it (build/results-types.mjs) and must be the committed one.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { resultsTypes, TYPES_PATH } from "../../build/results-types.mjs";

const test = suite("pipeline/results-type");

test("sdk/pipeline/results.generated.ts is what docs/results.schema.json generates", async () => {
  const committed = readFileSync(TYPES_PATH, "utf8");
  const generated = await resultsTypes();
  assert.ok(
    committed === generated,
    "results.generated.ts is stale: the schema changed without `node build/results-types.mjs` (npm run build)",
  );
});

test("every top-level results field of the schema is in the generated type, required ones not optional", async () => {
  const schema = JSON.parse(readFileSync("docs/results.schema.json", "utf8"));
  const ts = readFileSync(TYPES_PATH, "utf8");
  const body = ts.slice(ts.indexOf("export interface PipelineResults {"));
  for (const key of Object.keys(schema.properties)) {
    const required = schema.required.includes(key);
    assert.match(body, new RegExp(`\\n  ${key}${required ? "" : "\\?"}: `), key);
  }
});

test.run();
