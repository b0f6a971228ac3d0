/**
 * The one async gate. `await init()` loads and instantiates the kernel once;
 * after it every stage function is synchronous.
 *
 * Which bytes arrive, and how, is the only thing that differs per runtime: a
 * {@link Platform} (sdk/platform/) is installed by each build target
 * (sdk/targets/) before anything else runs.
 *
 * @module
 */
import { DgrnKernelError, DgrnStateError, DgrnTypeError, ErrorCode } from "../errors.js";
import { show } from "../validate.js";
import { Kernel } from "./kernel.js";

import { ABI_FINGERPRINT, ABI_VERSION } from "./abi.js";

/** The kernel ABI this SDK was built against: derived from the kernel's export signatures at build time (build/abi.mjs). */
export { ABI_VERSION };

/** The ABI a compiled module declares in its "dgrn.abi" custom section, or null when it has none. */
function moduleAbi(module: WebAssembly.Module): { version: number; fingerprint: string } | null {
  const sections = WebAssembly.Module.customSections(module, "dgrn.abi");
  if (sections.length !== 1) return null;
  try {
    const v = JSON.parse(new TextDecoder().decode(sections[0]!)) as { version?: unknown; fingerprint?: unknown };
    return typeof v.version === "number" && typeof v.fingerprint === "string"
      ? { version: v.version, fingerprint: v.fingerprint }
      : null;
  } catch {
    return null;
  }
}

/** Where the kernel's bytes may come from. */
export type WasmSource =
  string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module | Response | PromiseLike<Response>;

/** What a runtime provides: how to fetch bytes from a path or URL, and where the default .wasm is. */
export interface Platform {
  readonly name: "node" | "deno" | "browser";
  /** Default location of dgrn.wasm for this build. */
  defaultSource(): Promise<string | URL>;
  /** Load a path or URL into a compiled module (and its bytes, when available). */
  load(source: string | URL): Promise<{ module: WebAssembly.Module; bytes: Uint8Array | null }>;
}

let platform: Platform | null = null;
let pending: Promise<Kernel> | null = null;
let current: Kernel | null = null;

/** Install the runtime's platform (done by each build target's entry file). */
export function setPlatform(p: Platform): void {
  platform = p;
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest("SHA-256", bytes as unknown as ArrayBuffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compile a Response, with the non-streaming fallback for servers that send the wrong MIME type. */
export async function compileResponse(res: Response): Promise<{ module: WebAssembly.Module; bytes: Uint8Array }> {
  if (!res.ok)
    throw new DgrnKernelError(
      `could not fetch dgrn.wasm: HTTP ${res.status} ${res.statusText} from ${res.url}`,
      ErrorCode.KERNEL_LOAD,
    );
  const copy = res.clone();
  try {
    const [module, buf] = await Promise.all([WebAssembly.compileStreaming(res), copy.arrayBuffer()]);
    return { module, bytes: new Uint8Array(buf) };
  } catch {
    const bytes = new Uint8Array(await copy.arrayBuffer().catch(() => new ArrayBuffer(0)));
    return { module: await WebAssembly.compile(bytes as unknown as ArrayBuffer), bytes };
  }
}

async function resolve(
  source: WasmSource | undefined,
): Promise<{ module: WebAssembly.Module; bytes: Uint8Array | null }> {
  if (source === undefined) {
    if (!platform)
      throw new DgrnStateError(
        "no platform installed: import dgrn through its package entry (node, deno or browser build)",
        ErrorCode.KERNEL_LOAD,
      );
    return platform.load(await platform.defaultSource());
  }
  if (source instanceof WebAssembly.Module) return { module: source, bytes: null };
  if (typeof source === "string" || source instanceof URL) {
    if (!platform) throw new DgrnStateError("no platform installed to load a path or URL", ErrorCode.KERNEL_LOAD);
    return platform.load(source);
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes =
      source instanceof ArrayBuffer
        ? new Uint8Array(source)
        : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    return { module: await WebAssembly.compile(bytes as unknown as ArrayBuffer), bytes };
  }
  if (typeof Response !== "undefined" && source instanceof Response) return compileResponse(source);
  if (source && typeof (source as PromiseLike<Response>).then === "function") return resolve(await source);
  throw new DgrnTypeError(
    `invalid argument. \`source\` must be a path, URL, bytes, WebAssembly.Module or Response. Value: \`${show(source)}\`.`,
  );
}

/** The host functions the kernel may import, and a hook to give them the kernel's memory once it exists. */
function hostImports(module: WebAssembly.Module): { imports: WebAssembly.Imports; bind(m: WebAssembly.Memory): void } {
  let memory: WebAssembly.Memory | null = null;
  const readString = (ptr: number): string => {
    if (!memory || !ptr) return "";
    const len = new Uint32Array(memory.buffer, ptr - 4, 1)[0]! >>> 1;
    return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, len));
  };
  const env: Record<string, (...args: number[]) => unknown> = {
    abort(msg, file, line, col): never {
      throw new DgrnKernelError(`kernel trap: ${readString(msg!)} at ${readString(file!)}:${line}:${col}`);
    },
  };
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== "env" || !(imp.name in env)) {
      throw new DgrnKernelError(
        `the kernel imports ${imp.module}.${imp.name}, which this SDK does not provide: SDK and dgrn.wasm are from different builds`,
        ErrorCode.KERNEL_LOAD,
      );
    }
  }
  return { imports: { env }, bind: (m) => (memory = m) };
}

async function load(source: WasmSource | undefined): Promise<Kernel> {
  let loaded: { module: WebAssembly.Module; bytes: Uint8Array | null };
  try {
    loaded = await resolve(source);
  } catch (e) {
    if (e instanceof DgrnStateError || e instanceof DgrnTypeError || e instanceof DgrnKernelError) throw e;
    throw new DgrnKernelError(`could not load dgrn.wasm: ${(e as Error)?.message ?? e}`, {
      code: ErrorCode.KERNEL_LOAD,
      cause: e,
    });
  }
  const abi = moduleAbi(loaded.module);
  if (!abi || abi.fingerprint !== ABI_FINGERPRINT) {
    throw new DgrnKernelError(
      `kernel ABI ${abi ? abi.version : "(none: not a dgrn build)"} does not match the SDK's ${ABI_VERSION}: SDK and dgrn.wasm are from different builds; rebuild with \`npm run build\``,
      ErrorCode.KERNEL_LOAD,
    );
  }
  const host = hostImports(loaded.module);
  const instance = await WebAssembly.instantiate(loaded.module, host.imports);
  const k = new Kernel(instance, {
    abi: abi.version,
    sha256: loaded.bytes ? await sha256Hex(loaded.bytes) : null,
    platform: platform?.name ?? "unknown",
    bytes: loaded.bytes ? loaded.bytes.byteLength : null,
  });
  host.bind(k.memory);
  return k;
}

/**
 * Load and instantiate the kernel. Memoised: the first call starts the load,
 * later calls return the same promise (and ignore `source`).
 *
 * @param source - where to get dgrn.wasm; by default the file shipped beside the bundle
 * @returns the kernel, also reachable synchronously through {@link getKernel}
 * @throws {DgrnKernelError} `ERR_KERNEL_LOAD` when the bytes cannot be fetched, compiled or matched to this SDK
 * @example
 * ```ts
 * import { init, randomUniform } from "dgrn";
 * await init();
 * randomUniform(3, { seed: 1 }); // Float64Array(3), the same bits everywhere
 * ```
 */
export function init(source?: WasmSource): Promise<Kernel> {
  if (!pending) {
    pending = load(source).then(
      (k) => (current = k),
      (e) => {
        pending = null; // allow a retry with another source
        throw e;
      },
    );
  }
  return pending;
}

/** Whether {@link init} has completed. */
export function isReady(): boolean {
  return current !== null;
}

/**
 * The loaded kernel, synchronously.
 *
 * @throws {DgrnStateError} `ERR_NOT_INITIALIZED` before `await init()` has completed
 */
export function getKernel(): Kernel {
  if (!current) throw new DgrnStateError("the kernel is not loaded: `await init()` once before calling dgrn functions");
  return current;
}
