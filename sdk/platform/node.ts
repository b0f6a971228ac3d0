/**
 * Node: the kernel's bytes come from the file system (or any URL via fetch).
 * Only this file and the CLI may import Node built-ins.
 *
 * @module
 */
import { access, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { DgrnKernelError, ErrorCode } from "../errors.js";
import { compileResponse, type Platform } from "../kernel/init.js";

/** Candidate locations of dgrn.wasm: beside the bundle (dist/node/ → dist/), or from sources (sdk/platform/ → dist/). */
const CANDIDATES = ["../dgrn.wasm", "../../dist/dgrn.wasm"];

export const nodePlatform: Platform = {
  name: "node",
  async defaultSource() {
    for (const rel of CANDIDATES) {
      const url = new URL(rel, import.meta.url);
      try {
        await access(url);
        return url;
      } catch {}
    }
    throw new DgrnKernelError(
      `dgrn.wasm not found beside the SDK (looked for ${CANDIDATES.join(", ")} from ${import.meta.url}): run \`npm run build\``,
      ErrorCode.KERNEL_LOAD,
    );
  },
  async load(source) {
    const url = typeof source === "string" && !/^[a-z]+:\/\//i.test(source) ? null : new URL(source);
    if (url && (url.protocol === "http:" || url.protocol === "https:")) return compileResponse(await fetch(url));
    const path = url ? fileURLToPath(url) : (source as string);
    const bytes = new Uint8Array(await readFile(path));
    return { module: await WebAssembly.compile(bytes), bytes };
  },
};
