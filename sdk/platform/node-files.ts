/**
 * Node: file access for the readers (paths, and CSV streamed from disk
 * through papaparse so large files are never held whole). Installed by the
 * Node build target; the only file of sdk/io's that imports Node built-ins.
 *
 * @module
 */
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import Papa from "papaparse";
import type { FileAccess } from "../io/read.js";

export const nodeFiles: FileAccess = {
  readSync: (path) => new Uint8Array(readFileSync(path)),
  read: async (path) => new Uint8Array(await readFile(path)),
  isDirectory: (path) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  exists: (path) => existsSync(path),
  head(path, n) {
    const fd = openSync(path, "r");
    try {
      const buf = new Uint8Array(n);
      const got = readSync(fd, buf, 0, n, 0);
      return buf.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  },
  streamCsv(path, config) {
    return new Promise((resolve, reject) => {
      const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
      stream.on("error", reject);
      const step = config.step!;
      let failed = false;
      Papa.parse(
        stream as unknown as File,
        {
          ...(config as object),
          step(res: Papa.ParseStepResult<string[]>, parser: Papa.Parser) {
            if (failed) return;
            try {
              step(res, parser);
            } catch (e) {
              failed = true;
              parser.abort();
              stream.destroy();
              reject(e);
            }
          },
          complete: () => failed || resolve(),
          error: (e: Error) => reject(e),
        } as Papa.ParseLocalConfig<string[], File>,
      );
    });
  },
};
