// Types of build/kernel-exports.mjs (used by tests/kernel/abi.test.ts).
export declare const EXPORTS_PATH: string;
export declare function kernelExportsModule(bytes?: Uint8Array): Promise<string>;
export declare function writeKernelExports(): Promise<boolean>;
