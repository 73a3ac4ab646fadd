import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { found, lintMarkdown, md } from "./lint-helpers.js";
import { requireThat } from "../../helpers/require.js";

const shellcheckInstalled = spawnSync("shellcheck", ["--version"]).status === 0;

// Lint must not make findings of its own: shellcheck reads the block as the author
// wrote it (shebang on line 1), with the dialect given on its command line.
describe("shellcheck reads the block as written", () => {
  beforeAll(() =>
    requireThat(
      shellcheckInstalled,
      "shellcheck: apt-get install shellcheck (.ci/run does)",
    ),
  );
  it('sees a shebang on the first line: no "shebang must be on the first line" (SC1128)', async () => {
    const d = await lintMarkdown(
      md(
        "## Rotate the logs",
        "",
        "```bash",
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        'for f in /var/log/app/*.log; do gzip "$f"; done',
        "```",
        "```sh",
        "#!/bin/sh",
        "echo finished",
        "```",
      ),
      { shellcheck: true },
    );
    expect(found(d)).toEqual([]);
  });

  it("reports at the Markdown line and column, after a shebang and inside a list item", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        "```sh",
        "#!/bin/sh",
        "echo start",
        "ls $(cat /etc/hostname)",
        "```",
        "",
        "1. Then:",
        "",
        "   ```bash",
        "   ls $(cat /etc/hostname)",
        "   ```",
      ),
      { shellcheck: true },
    );
    expect(found(d, "shellcheck/SC2046")).toEqual([
      "5:4 warning shellcheck/SC2046",
      "11:7 warning shellcheck/SC2046",
    ]);
  });

  it("checks a sh block as POSIX sh even under a bash shebang: /bin/sh runs it", async () => {
    const d = await lintMarkdown(
      md("## A", "```sh", "#!/bin/bash", '[[ -n "$HOME" ]] && echo ok', "```"),
      { shellcheck: true },
    );
    expect(found(d).filter((f) => f.includes("shellcheck/"))).toEqual([
      "4:1 warning shellcheck/SC3010",
    ]);
  });
});
