#!/usr/bin/env node
// The `runbook` executable: everything lives in cli/; this file only starts it.
import { start } from './cli/main.js';

await start();
