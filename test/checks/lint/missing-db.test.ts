import { describe, expect, it } from "vitest";
import { found, lintMarkdown, md } from "./lint-helpers.js";

const sql = (title: string, text: string): string =>
  md(`## ${title}`, "```sql", text, "```");

describe("missing-db", () => {
  it("with no database declared, is one error per file that says one declaration is enough", async () => {
    const d = await lintMarkdown(
      sql("Locks", "SELECT * FROM pg_locks;") +
        sql("Activity", "SELECT * FROM pg_stat_activity;") +
        sql("Sizes", "SELECT pg_database_size(current_database());"),
    );
    expect(found(d)).toEqual(["2:1 error missing-db"]);
    expect(d[0]?.message).toMatch(/3 sql blocks/);
    expect(d[0]?.message).toMatch(/declare one database/);
    expect(d[0]?.message).toMatch(/no \{db=…\} is needed|without \{db=…\}/);
  });

  it("is no finding when the one declared database is the default", async () => {
    const d = await lintMarkdown(
      md("---", 'databases: { app: "postgres://localhost/app" }', "---") +
        sql("Locks", "SELECT * FROM pg_locks;") +
        sql("Activity", "SELECT 1;"),
    );
    expect(found(d, "missing-db")).toEqual([]);
  });

  it("with several databases, is an error on each block that names none", async () => {
    const d = await lintMarkdown(
      md(
        "---",
        'databases: { old: "postgres://a/app", new: "postgres://b/app" }',
        "---",
      ) +
        sql("Count", "SELECT 1;") +
        sql("Again", "SELECT 2;"),
    );
    expect(found(d, "missing-db")).toEqual([
      "5:1 error missing-db",
      "9:1 error missing-db",
    ]);
    expect(d[0]?.message).toMatch(
      /\{db=NAME\}: this runbook declares old, new/,
    );
  });
});
