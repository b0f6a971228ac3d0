// Types of build/abi.mjs (used by tests/kernel/abi.test.ts).
export interface ExportSignature {
  name: string;
  params: string[];
  results: string[];
}
export declare function exportSignatures(bytes: Uint8Array): ExportSignature[];
export declare function signatureLines(bytes: Uint8Array): string[];
export declare function abiOf(bytes: Uint8Array): { fingerprint: string; version: number; count: number };
export declare function withCustomSection(bytes: Uint8Array, name: string, text: string): Uint8Array;
