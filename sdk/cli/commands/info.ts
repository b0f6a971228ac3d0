import type { Command } from "commander";
import { init, VERSION } from "../../targets/node.js";
import { printJson } from "../util.js";

/** `dgrn info`: what kernel is loaded, from where, and its memory. */
export function register(program: Command): void {
  program
    .command("info")
    .description("print the package version, the kernel's identity (ABI, sha256) and its memory")
    .option("--json", "print one JSON object")
    .action(async (opts: { json?: boolean }) => {
      const k = await init();
      const info = {
        version: VERSION,
        kernel: k.info,
        simd: true,
        memoryBytes: k.stats().memoryBytes,
        runtime: `node ${process.versions.node}`,
      };
      if (opts.json) printJson(info);
      else {
        process.stdout.write(
          `dgrn ${info.version}\nkernel  abi ${info.kernel.abi}, ${info.kernel.bytes} bytes, sha256 ${info.kernel.sha256}\n` +
            `memory  ${info.memoryBytes} bytes\nruntime ${info.runtime}\n`,
        );
      }
    });
}
