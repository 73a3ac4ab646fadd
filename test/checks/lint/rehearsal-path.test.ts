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

  it("is quiet with a rehearsal value, a scratch or relative default, a live-only block, or reads only", async () => {
    const cases = [
      fm(
        'dir: { default: /var/backups/app, rehearsal: "${RUNBOOK_SANDBOX_DIR}/backups" }',
      ) + step("```sh", 'mkdir -p "$dir"', "```"),
      fm("dir: { default: /var/tmp/app }") +
        step("```sh", 'mkdir -p "$dir"', "```"),
      fm("dir: { default: ./out }") + step("```sh", 'mkdir -p "$dir"', "```"),
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
