#!/usr/bin/env node
// The `runbook` executable (bundled into dist/cli.js by scripts/bundle.mjs): it only starts cli/main.
import { start } from "./main.js";

await start();
