import { describe, expect, it } from "vitest";
import { found, lintMarkdown, md } from "./lint-helpers.js";

const fm = (...params: string[]): string =>
  md("---", "params:", ...params.map((p) => `  ${p}`), "---");
const step = (...lines: string[]): string => md("## Dump", ...lines);

// SPEC 5: a param whose default is a path outside the sandbox, with no `rehearsal:`
// value, when a rehearsal would write there (warning).
describe("rehearsal-path", () => {
  it("warns at the param when a block that rehearses writes under its default", async () => {
    const d = await lintMarkdown(
      fm(
        "backup_dir: { description: Where dumps go, default: /var/backups/app }",
      ) +
        step(
          "```sh",
          'mkdir -p "$backup_dir"',
          'pg_dump -Fc app > "$backup_dir/app.dump"',
          "```",
        ),
    );
    expect(found(d)).toEqual(["3:3 warning rehearsal-path"]);
    expect(d[0]?.message).toContain("/var/backups/app");
    expect(d[0]?.message).toMatch(/line 7/);
    expect(d[0]?.message).toMatch(/rehearsal: \$\{RUNBOOK_SANDBOX_DIR\}/);
  });

  it("counts redirections, tee, cp targets, pg_basebackup -D and file= blocks as writes", async () => {
    const cases = [
      ["```sh", 'date | tee -a "${log_dir}/upgrade.log"', "```"],
      ["```sh", 'cp app.conf "$log_dir/"', "```"],
      ["```sh", 'pg_basebackup -h primary -D "$log_dir/base" -P', "```"],
      ['```ini {file="${log_dir}/app.ini"}', "x = 1", "```"],
      ["```sh", "echo started >> $log_dir/run.log", "```"],
    ];
    for (const lines of cases) {
      const d = await lintMarkdown(
        fm("log_dir: { default: /srv/app/logs }") + step(...lines),
      );
      expect(found(d, "rehearsal-path"), lines.join("\n")).toEqual([
        "3:3 warning rehearsal-path",
      ]);
    }
  });

  // A rehearsal runs its steps where runbook was started (or at a block's cwd=), as a run does, not in the sandbox:
  // a relative path lands in the operator's folder.
  it("warns about a relative default too: a rehearsal resolves it where runbook was started, outside the sandbox", async () => {
    for (const dir of ["./dumps", "dumps/app", "../backups", "."]) {
      const d = await lintMarkdown(
        fm(`dir: { default: "${dir}" }`) +
          step("```sh", 'pg_dump -Fc app > "$dir/app.dump"', "```"),
      );
      expect(found(d, "rehearsal-path"), dir).toEqual([
        "3:3 warning rehearsal-path",
      ]);
      expect(d[0]?.message, dir).toContain(
        `defaults to ${dir}, a relative path: a rehearsal resolves it where runbook is started, outside the rehearsal's sandbox`,
      );
    }
    // The same for a file= block and a block whose cwd= is not in the sandbox.
    for (const lines of [
      ['```ini {file="${dir}/app.ini"}', "x = 1", "```"],
      ["```sh {cwd=/srv/app}", 'mkdir -p "$dir"', "```"],
    ]) {
      const d = await lintMarkdown(
        fm("dir: { default: ./out }") + step(...lines),
      );
      expect(found(d, "rehearsal-path"), lines.join("\n")).toEqual([
        "3:3 warning rehearsal-path",
      ]);
    }
  });

  it("is quiet about a relative default written only by blocks whose cwd= is in the sandbox or scratch space", async () => {
    for (const cwd of ['"${RUNBOOK_SANDBOX_DIR}"', "/tmp/work"]) {
      const d = await lintMarkdown(
        fm("dir: { default: ./out }") +
          step(`\`\`\`sh {cwd=${cwd}}`, 'mkdir -p "$dir"', "```"),
      );
      expect(found(d, "rehearsal-path"), cwd).toEqual([]);
    }
    // A default that is no path (a name, a number) is left alone.
    const d = await lintMarkdown(
      fm("db: { default: app }") +
        step("```sh", 'pg_dump -Fc "$db" > "$db.dump"', "```"),
    );
    expect(found(d, "rehearsal-path")).toEqual([]);
  });

  it("is quiet with a rehearsal value, a scratch default, a live-only block, or reads only", async () => {
    const cases = [
      fm(
        'dir: { default: /var/backups/app, rehearsal: "${RUNBOOK_SANDBOX_DIR}/backups" }',
      ) + step("```sh", 'mkdir -p "$dir"', "```"),
      fm("dir: { default: /var/tmp/app }") +
        step("```sh", 'mkdir -p "$dir"', "```"),
      fm("dir: { default: /var/backups/app }") +
        step("```sh {only=live}", 'mkdir -p "$dir"', "```"),
      fm("dir: { default: /var/backups/app }") +
        step(
          "```sh",
          'ls -l "$dir"',
          'du -sh "$dir"',
          'cp "$dir/app.dump" .',
          "```",
        ),
    ];
    for (const markdown of cases)
      expect(
        found(await lintMarkdown(markdown), "rehearsal-path"),
        markdown,
      ).toEqual([]);
  });
});
