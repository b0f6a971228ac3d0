// The kernel ABI, read from the compiled module itself: every exported
// function's name and wasm signature, and a fingerprint of the whole list.
// The build stores the fingerprint in the module (custom section "dgrn.abi")
// and in the SDK (sdk/kernel/abi.ts), so an SDK never runs against a kernel
// whose export signatures differ from the ones it was built with, and any
// change of a signature changes the ABI version without anyone remembering
// to bump it.
import { createHash } from "node:crypto";

const VALTYPE = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
  0x70: "funcref",
  0x6f: "externref",
};

/** Read an unsigned LEB128 at `pos`; returns [value, nextPos]. */
function uleb(bytes, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

/**
 * The exported functions of a wasm binary with their signatures, sorted by name.
 * @param {Uint8Array} bytes
 * @returns {{ name: string, params: string[], results: string[] }[]}
 */
export function exportSignatures(bytes) {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new Error("not a wasm module");
  const types = [];
  const funcTypes = []; // type index of every function, imports first
  const exports = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size;
    [size, pos] = uleb(bytes, pos);
    const end = pos + size;
    let p = pos;
    if (id === 1) {
      let count;
      [count, p] = uleb(bytes, p);
      for (let i = 0; i < count; i++) {
        if (bytes[p++] !== 0x60) throw new Error("unexpected type form");
        let np, nr;
        [np, p] = uleb(bytes, p);
        const params = Array.from(bytes.subarray(p, p + np), (b) => VALTYPE[b] ?? `0x${b.toString(16)}`);
        p += np;
        [nr, p] = uleb(bytes, p);
        const results = Array.from(bytes.subarray(p, p + nr), (b) => VALTYPE[b] ?? `0x${b.toString(16)}`);
        p += nr;
        types.push({ params, results });
      }
    } else if (id === 2) {
      let count;
      [count, p] = uleb(bytes, p);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = uleb(bytes, p);
        p += len;
        [len, p] = uleb(bytes, p);
        p += len;
        const kind = bytes[p++];
        if (kind === 0) {
          let t;
          [t, p] = uleb(bytes, p);
          funcTypes.push(t);
        } else if (kind === 1) {
          p += 1;
          const flags = bytes[p++];
          [, p] = uleb(bytes, p);
          if (flags & 1) [, p] = uleb(bytes, p);
        } else if (kind === 2) {
          const flags = bytes[p++];
          [, p] = uleb(bytes, p);
          if (flags & 1) [, p] = uleb(bytes, p);
        } else if (kind === 3) p += 2;
      }
    } else if (id === 3) {
      let count;
      [count, p] = uleb(bytes, p);
      for (let i = 0; i < count; i++) {
        let t;
        [t, p] = uleb(bytes, p);
        funcTypes.push(t);
      }
    } else if (id === 7) {
      let count;
      [count, p] = uleb(bytes, p);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = uleb(bytes, p);
        const name = new TextDecoder().decode(bytes.subarray(p, p + len));
        p += len;
        const kind = bytes[p++];
        let index;
        [index, p] = uleb(bytes, p);
        if (kind === 0) exports.push({ name, ...types[funcTypes[index]] });
      }
    }
    pos = end;
  }
  return exports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One line per exported function: `name(i32,f64)->i32`. */
export function signatureLines(bytes) {
  return exportSignatures(bytes).map((s) => `${s.name}(${s.params.join(",")})->${s.results.join(",")}`);
}

/** The ABI fingerprint: sha256 of the signature lines; the ABI version is its first 28 bits. */
export function abiOf(bytes) {
  const lines = signatureLines(bytes);
  const sha = createHash("sha256")
    .update(lines.join("\n") + "\n")
    .digest("hex");
  return { fingerprint: sha, version: parseInt(sha.slice(0, 7), 16), count: lines.length };
}

/** `bytes` with a custom section `name` holding `text` appended (custom sections may stand anywhere). */
export function withCustomSection(bytes, name, text) {
  const enc = new TextEncoder();
  const nameBytes = enc.encode(name);
  const payload = enc.encode(text);
  const leb = (n) => {
    const out = [];
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n > 0) b |= 0x80;
      out.push(b);
    } while (n > 0);
    return out;
  };
  const body = [...leb(nameBytes.length), ...nameBytes, ...payload];
  const section = new Uint8Array([0, ...leb(body.length), ...body]);
  const out = new Uint8Array(bytes.length + section.length);
  out.set(bytes, 0);
  out.set(section, bytes.length);
  return out;
}
