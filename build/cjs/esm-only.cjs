// dgrn is an ES module package. `require("dgrn")` lands here (the "require"
// condition of package.json's exports) and says so in one line instead of
// failing with ERR_REQUIRE_ESM or an empty object.
throw Object.assign(
  new Error('dgrn is ESM-only: use `import { init } from "dgrn"` (or `await import("dgrn")` from CommonJS).'),
  { code: "ERR_REQUIRE_ESM" },
);
