#!/usr/bin/env node
// The `dxl` executable: registers tsx's hooks, as `node --import tsx` does (CommonJS for the project's TypeScript,
// ESM for the commands loaded on demand), then runs the command line.
import { createRequire } from "node:module";
import { register as registerCommonJs } from "tsx/cjs/api";
import { register as registerEsm } from "tsx/esm/api";

registerEsm();
registerCommonJs();
createRequire(import.meta.url)("../scripts/dxl/main.ts");
