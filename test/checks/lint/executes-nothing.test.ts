import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintFiles } from "../../../checks/lint/index.js";
import { cli } from "../../helpers/cli.js";
import { tempDir } from "../../helpers/temp.js";

/** A runbook whose every block, check and attribute leaves a file in `trace` if anything runs it. */
function tracingRunbook(trace: string): string {
  const t = (name: string): string => `${trace}/${name}`;
  return [
    "---",
    "params:",
    `  p: { default: "$(touch ${t("param-default")})" }`,
    "databases:",
    `  app: { url: "postgres://u@127.0.0.1/db?application_name=$(touch ${t("db-url")})" }`,
    "hosts:",
    `  h: { ssh: "$(touch ${t("host")})" }`,
    "---",
    "# Every part would leave a trace",
    "## Shell",
    // A tilde fence: a backtick fence's info string cannot hold a backtick.
    `~~~sh {cwd="$(touch ${t("cwd")})" user="\`touch ${t("user")}\`"}`,
    `touch ${t("sh")}`,
    `echo \`touch ${t("backtick")}\` "$(touch ${t("substitution")})" <(touch ${t("process-substitution")})`,
    "cat <<EOF",
    `$(touch ${t("heredoc")})`,
    "EOF",
    `if then fi $(touch ${t("after-syntax-error")})`,
    "~~~",
    "```bash",
    `touch ${t("bash")}`,
    "```",
    "```console",
    `$ touch ${t("console")}`,
    "```",
    "```psql {db=app}",
    `\\! touch ${t("psql-shell-escape")}`,
    `\\o |touch ${t("psql-pipe")}`,
    "SELECT 1;",
    "```",
    "```sql {db=app}",
    `COPY (SELECT 1) TO PROGRAM 'touch ${t("sql-program")}';`,
    "```",
    `\`\`\`conf {file="${t("file-block")}"}`,
    "written if run",
    "```",
    `::check{sh="touch ${t("check-sh")}"}`,
    "",
    ":::check",
    "```bash",
    `touch ${t("check-container")}`,
    "```",
    ":::",
    "",
    `::check{db=app sql="COPY (SELECT 1) TO PROGRAM 'touch ${t("check-sql")}'"}`,
    "",
  ].join("\n");
}

describe("lint runs nothing from the runbook", () => {
  it("leaves no trace in process, with bash -n and shellcheck", async () => {
    const dir = tempDir();
    const trace = path.join(dir, "trace");
    const file = path.join(dir, "trace.md");
    writeFileSync(file, tracingRunbook(trace));
    await import("node:fs").then((fs) => fs.mkdirSync(trace));
    const diagnostics = await lintFiles([file], {
      env: process.env,
      shellcheck: true,
    });
    expect(diagnostics.some((d) => d.rule === "shell-syntax")).toBe(true);
    expect(diagnostics.some((d) => d.rule === "sql-syntax")).toBe(false);
    expect(readdirSync(trace)).toEqual([]);
  });

  it("leaves no trace through the CLI, in every format", async () => {
    const dir = tempDir();
    const trace = path.join(dir, "trace");
    await import("node:fs").then((fs) => fs.mkdirSync(trace));
    writeFileSync(path.join(dir, "trace.md"), tracingRunbook(trace));
    for (const format of ["stylish", "json", "sarif", "github"]) {
      const result = await cli(["lint", "trace.md", "--format", format], {
        cwd: dir,
      });
      expect(result.code).toBe(1);
    }
    expect(readdirSync(trace)).toEqual([]);
  });
});
