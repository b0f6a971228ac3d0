/**
 * Browsers (and workers): fetch + WebAssembly.compileStreaming. The caller may
 * pass any URL to `init(url)`; the default is dgrn.wasm beside the bundle.
 *
 * @module
 */
import { compileResponse, type Platform } from "../kernel/init.js";

export const browserPlatform: Platform = {
  name: "browser",
  async defaultSource() {
    return new URL("../dgrn.wasm", import.meta.url);
  },
  async load(source) {
    const base = typeof location !== "undefined" ? location.href : import.meta.url;
    return compileResponse(await fetch(new URL(source, base)));
  },
};
