// Where the SDK-owned heap may begin. (The kernel's ABI version is not a
// constant here: the build derives it from the export signatures and stores it
// in the module's "dgrn.abi" custom section; see build/abi.mjs.)

/** First byte past the kernel's static data: the SDK's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
