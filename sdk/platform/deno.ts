/**
 * Deno: file URLs are read with Deno.readFile (no --allow-net needed), other
 * URLs are fetched and compiled as they stream.
 *
 * @module
 */
import { compileResponse, type Platform } from "../kernel/init.js";

declare const Deno: { readFile(path: URL | string): Promise<Uint8Array> };

export const denoPlatform: Platform = {
  name: "deno",
  async defaultSource() {
    return new URL("../dgrn.wasm", import.meta.url);
  },
  async load(source) {
    const url = source instanceof URL ? source : new URL(source, import.meta.url);
    if (url.protocol === "file:") {
      const bytes = await Deno.readFile(url);
      return { module: await WebAssembly.compile(bytes as unknown as ArrayBuffer), bytes };
    }
    return compileResponse(await fetch(url));
  },
};
