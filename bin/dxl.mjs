#!/usr/bin/env node
// The `dxl` executable: loads tsx so the TypeScript command line runs as it is, then runs it.
import { register } from "tsx/esm/api";

register();
await import("../scripts/dxl/main.ts");
