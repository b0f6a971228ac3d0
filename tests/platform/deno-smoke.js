// Run by tests/platform/runtimes.test.ts under Deno: load the Deno build and
// print what the kernel computes, as JSON.
import { init, randomBits, dot } from "../../dist/deno/index.js";

const k = await init();
console.log(
  JSON.stringify({
    sha256: k.info.sha256,
    platform: k.info.platform,
    bits: Array.from(randomBits(16, { seed: 12345, stream: 3 })),
    dot: dot([1, 2, 3], [4, 5, 6]),
  }),
);
