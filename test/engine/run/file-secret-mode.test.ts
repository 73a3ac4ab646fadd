import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { md } from "../../helpers/parse.js";
import { runMarkdown } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

const SECRET = "DbPw/09%87@zz";
const FM = md(
  "---",
  "params:",
  `  rails_password: { default: "${SECRET}" }`,
  '  port: { default: "5432" }',
  "---",
);
const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe("file= blocks that hold a secret (SPEC 1.3)", () => {
  it("creates a new file that holds a secret 0600, whatever the umask", async () => {
    const dir = tempDir();
    const umask = process.umask(0o002);
    try {
      const r = await runMarkdown(
        FM +
          md(
            "## Pgpass",
            "```text {file=pgpass}",
            "*:${port}:*:rails:${rails_password}",
            "```",
            "## Plain",
            "```ini {file=plain.conf}",
            "port = ${port}",
            "```",
          ),
        { dir },
      );
      expect(r.outcome.exitCode).toBe(0);
      expect(readFileSync(path.join(dir, "pgpass"), "utf8")).toBe(
        `*:5432:*:rails:${SECRET}\n`,
      );
      expect(modeOf(path.join(dir, "pgpass"))).toBe(0o600);
      // A file with no secret in it is created 0644, as before.
      expect(modeOf(path.join(dir, "plain.conf"))).toBe(0o644);
      // The diff shown says what changed, not the secret.
      expect(r.output).toContain("+*:5432:*:rails:***");
      expect(r.output).not.toContain(SECRET);
    } finally {
      process.umask(umask);
    }
  });

  it("also when the secret is there only percent-encoded (a connection URL)", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      FM +
        md(
          "## Env",
          "```text {file=app.env}",
          "DATABASE_URL=postgres://rails:%s@db/app",
          "```",
        ).replace("%s", encodeURIComponent(SECRET)),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(modeOf(path.join(dir, "app.env"))).toBe(0o600);
  });

  it("keeps the mode of an existing file (its owner decided it), and does not reuse a stale temporary file", async () => {
    const dir = tempDir();
    const file = path.join(dir, "pg_hba.conf");
    writeFileSync(file, "local all all peer\n");
    chmodSync(file, 0o640);
    // A temporary file left behind by a crash, world-readable.
    writeFileSync(path.join(dir, ".pg_hba.conf.runbook-tmp"), "stale");
    chmodSync(path.join(dir, ".pg_hba.conf.runbook-tmp"), 0o666);
    const r = await runMarkdown(
      FM +
        md(
          "## Hba",
          "```text {file=pg_hba.conf mode=append}",
          "# rails ${rails_password}",
          "```",
        ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(modeOf(file)).toBe(0o640);
    expect(readFileSync(file, "utf8")).toBe(
      `local all all peer\n# rails ${SECRET}\n`,
    );
  });
});
