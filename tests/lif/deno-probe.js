// Deno side of tests/lif/runtimes.test.ts.
import * as dgrn from "../../dist/deno/index.js";
import { probe } from "./probe.js";

const nwb = await Deno.readFile(Deno.args[0]);
console.log(JSON.stringify(await probe(dgrn, nwb)));
