import { suite } from "uvu";
import * as assert from "uvu/assert";
import { kernel, dot, DgrnShapeError, DgrnRangeError, ErrorCode, throwsCode, randomUniform } from "../helpers/setup.js";
import { Allocator } from "../../sdk/kernel/memory.js";

const test = suite("kernel/memory");

test("allocations are 16-byte aligned, disjoint, and freed blocks are reused", () => {
  const mem = new WebAssembly.Memory({ initial: 1 });
  const a = new Allocator(mem, 1000);
  const p1 = a.alloc(10);
  const p2 = a.alloc(100);
  const p3 = a.alloc(8);
  for (const p of [p1, p2, p3]) assert.is(p % 16, 0);
  assert.ok(p1 >= 1000);
  assert.ok(p2 >= p1 + 16 && p3 >= p2 + 112);
  a.free(p2);
  const p4 = a.alloc(50); // fits in p2's hole
  assert.is(p4, p2);
  a.free(p1);
  a.free(p4);
  a.free(p3);
  const s = a.stats();
  assert.is(s.bytesInUse, 0);
  assert.is(s.liveBlocks, 0);
  assert.is(s.top, s.heapBase, "everything freed: the bump pointer returns to the base");
});

test("adjacent free blocks coalesce so a larger request fits in their union", () => {
  const a = new Allocator(new WebAssembly.Memory({ initial: 1 }), 0);
  const p = [a.alloc(16), a.alloc(16), a.alloc(16), a.alloc(16)];
  a.free(p[1]!);
  a.free(p[2]!);
  assert.is(a.alloc(32), p[1], "the two middle 16-byte holes merged into one 32-byte block");
});

test("memory grows on demand and the counters track peak use", () => {
  const mem = new WebAssembly.Memory({ initial: 1 });
  const a = new Allocator(mem, 0);
  const big = a.alloc(5 * 65536);
  assert.ok(mem.buffer.byteLength >= 5 * 65536);
  a.free(big);
  assert.is(a.stats().peakBytes, 5 * 65536);
  assert.is(a.stats().bytesInUse, 0);
});

test("double free is caught", () => {
  const a = new Allocator(new WebAssembly.Memory({ initial: 1 }), 0);
  const p = a.alloc(8);
  a.free(p);
  assert.throws(() => a.free(p), /unknown pointer/);
});

test("a deliberately bad call throws the typed error and leaves the kernel's memory unchanged", () => {
  const before = kernel.stats();
  throwsCode(() => dot([1, 2, 3], [1, 2]), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => dot([1, NaN], [1, 2]), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(() => randomUniform(-1), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  const after = kernel.stats();
  assert.is(after.bytesInUse, before.bytesInUse);
  assert.is(after.liveBlocks, before.liveBlocks);
  assert.is(after.allocations, before.allocations, "nothing was even allocated: checks run before the kernel is touched");
});

test("a good call frees everything it allocated", () => {
  const before = kernel.stats();
  assert.is(dot([1, 2, 3], [4, 5, 6]), 32);
  randomUniform(10_000, { seed: 3 });
  const after = kernel.stats();
  assert.is(after.bytesInUse, before.bytesInUse);
  assert.is(after.liveBlocks, before.liveBlocks);
  assert.ok(after.allocations > before.allocations);
  assert.is(after.frees - before.frees, after.allocations - before.allocations);
});

test.run();
