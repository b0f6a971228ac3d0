// A small lint over the SDK, the tests, benchmarks and build scripts: rules
// that catch real mistakes (not style, which prettier owns). Run by `npm test`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "out/**",
      "assembly/**",
      "tests/output/**",
      "benchmarks/results/**",
      "examples/data/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["build/test.mjs"], rules: { "no-control-regex": "off" } },
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        globalThis: "readonly",
        performance: "readonly",
        URL: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        WebAssembly: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        Buffer: "readonly",
        fetch: "readonly",
        Response: "readonly",
        self: "readonly",
        location: "readonly",
        document: "readonly",
        window: "readonly",
        Worker: "readonly",
        Deno: "readonly",
        queueMicrotask: "readonly",
        structuredClone: "readonly",
        AbortController: "readonly",
        Blob: "readonly",
        File: "readonly",
      },
    },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
      "no-throw-literal": "error",
      "no-empty": ["error", { allowEmptyCatch: true }],
      // tsc's noUnusedLocals / noUnusedParameters own unused names (it knows TSDoc {@link} uses).
      "@typescript-eslint/no-unused-vars": "off",
      // Comma-sequenced assignments in one-line loops are deliberate here.
      "@typescript-eslint/no-unused-expressions": "off",
      // Flags "let x = init" before a loop that always assigns it; not a defect.
      "no-useless-assignment": "off",
      // Errors re-thrown as typed DgrnErrors carry their cause where it helps the user; not a rule.
      "preserve-caught-error": "off",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-empty-object-type": "off",
    },
  },
);
