import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach } from "vitest";

// The file state takes a run's lock in a folder every run of this user on this machine sees
// (docs/decisions.md). Tests run unrelated runbooks named alike (rb.md outside any git
// repository: the same identity), in parallel and one after another (a test may leave a
// stopped run behind on purpose), so each test gets a folder of its own; the tests of that
// lock set RUNBOOK_LOCK_DIR themselves.
const root = mkdtempSync(path.join(tmpdir(), "runbook-test-locks-"));
let n = 0;
beforeEach(() => {
  process.env["RUNBOOK_LOCK_DIR"] = path.join(root, String(n++));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
