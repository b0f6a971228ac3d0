// Kernel identity: the ABI version the SDK checks at load, and where the
// SDK-owned heap may begin.

/** Version of the kernel ABI. Bumped whenever an export's signature changes. */
const ABI_VERSION: i32 = 1;

export function abiVersion(): i32 {
  return ABI_VERSION;
}

/** First byte past the kernel's static data: the SDK's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
