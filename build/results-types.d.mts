// Types of build/results-types.mjs (used by tests/pipeline/results-type.test.ts).
export declare const SCHEMA_PATH: string;
export declare const TYPES_PATH: string;
/** The TypeScript text generated from docs/results.schema.json. */
export declare function resultsTypes(): Promise<string>;
/** Write sdk/pipeline/results.generated.ts if it changed; whether it did. */
export declare function writeResultsTypes(): Promise<boolean>;
