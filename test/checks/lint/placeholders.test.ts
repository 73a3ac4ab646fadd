import { describe, expect, it } from "vitest";
import { found, lintMarkdown, md } from "./lint-helpers.js";

const DB = md("---", 'databases: { app: "postgres://localhost/app" }', "---");

// SPEC 5: placeholders left in code (`<your-host>`, `CHANGEME`, `xxx`): declare a param.
// Each is reported once, as a placeholder, never as a redirection or a syntax error.
describe("placeholder", () => {
  it("reports <placeholders> in shell once each, and neither bash -n nor shellcheck on them", async () => {
    const d = await lintMarkdown(
      md(
        "## Hibernate the cluster",
        "```sh",
        "kubectl annotate cluster <cluster-name> -n <namespace> --overwrite hibernation=on",
        "kubectl get cluster <cluster-name> -n <namespace>",
        "```",
      ),
      {
        shellcheck: true,
      },
    );
    expect(found(d)).toEqual([
      "3:26 error placeholder",
      "3:44 error placeholder",
    ]);
    expect(d[0]?.message).toContain("<cluster-name>");
    expect(d[0]?.message).toMatch(/declare a param/);
    expect(d[0]?.message).toContain("cluster_name");
    expect(d[0]?.message).toContain('"$cluster_name"');
    expect(d[0]?.message).toMatch(/2 places/);
  });

  it("reports a placeholder used across blocks of a file once, where it first appears", async () => {
    const block = (cmd: string): string => md("```bash", cmd, "```");
    const d = await lintMarkdown(
      md("## Events") +
        block("kubectl get events -n <NAMESPACE>") +
        block("kubectl get pods -n <NAMESPACE>") +
        md("## Logs") +
        block("kubectl logs -n <NAMESPACE> app"),
    );
    expect(found(d)).toEqual(["3:23 error placeholder"]);
    expect(d[0]?.message).toMatch(/3 places/);
  });

  it("reports placeholders in SQL instead of a syntax error, with the psql variable to use", async () => {
    const d = await lintMarkdown(
      DB +
        md(
          "## Grant",
          "```sql",
          "GRANT SELECT ON <table_name> TO reporting;",
          "```",
          '::check{sql="SELECT 1"}',
        ),
    );
    expect(found(d)).toEqual(["6:17 error placeholder"]);
    expect(d[0]?.message).toMatch(/:'table_name'|:"table_name"/);
  });

  it("reports CHANGEME and xxx in code, not in comments", async () => {
    const d = await lintMarkdown(
      md(
        "## Token",
        "```sh",
        "# replace <host> and CHANGEME below",
        "export API_TOKEN=CHANGEME",
        'curl -H "X-Key: xxxx" https://example.org/',
        "```",
      ),
    );
    expect(found(d)).toEqual([
      "4:18 error placeholder",
      "5:17 error placeholder",
    ]);
  });

  it("reads {name} and a standalone [name] in shell as placeholders of usage text, not literal braces or globs", async () => {
    const d = await lintMarkdown(
      md(
        "## Verify",
        "```sh",
        "cosign verify ghcr.io/example/operator:{tag} \\",
        "  --bundle operator-{version}.sigstore.json",
        "kubectl cnpg promote [cluster] [new_primary]",
        "```",
      ),
      { shellcheck: true },
    );
    expect(found(d)).toEqual([
      "3:40 error placeholder",
      "4:21 error placeholder",
      "5:22 error placeholder",
      "5:32 error placeholder",
    ]);
  });

  it("leaves alone brace expansion, ${…}, @{u}, globs and INI section headers", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        "```bash",
        "cp app.conf{,.bak}",
        'echo "${HOME}" "$(git rev-parse @{u})"',
        "ls /var/log/[ab]*.log",
        "[mysqld]",
        "```",
      ),
    );
    expect(found(d, "placeholder")).toEqual([]);
  });

  it("leaves alone redirections, here-documents of markup, process substitution and comparisons", async () => {
    const d = await lintMarkdown(
      DB +
        md(
          "## A",
          "```bash",
          "sort < input.txt > sorted.txt 2>&1",
          "diff <(sort a) <(sort b) || true",
          "cat > /srv/www/index.html <<'EOF'",
          "<html><body><p>Down for maintenance</p></body></html>",
          "EOF",
          "echo '<b>done</b>'",
          "```",
          "```sql",
          "SELECT count(*) FROM jobs WHERE attempts<max_attempts AND state<>'done';",
          "```",
          '::check{sql="SELECT 1"}',
        ),
      { shellcheck: true },
    );
    expect(
      found(d).filter(
        (f) => !f.includes("db-change") && !f.includes("shellcheck/SC2016"),
      ),
    ).toEqual([]);
  });

  it("is not also a literal password", async () => {
    const d = await lintMarkdown(
      DB +
        md(
          "## Role",
          "```sql",
          "ALTER ROLE app WITH PASSWORD '<new-password>';",
          "```",
          '::check{sql="SELECT 1"}',
        ),
    );
    expect(found(d, "placeholder", "literal-password", "sql-syntax")).toEqual([
      "6:31 error placeholder",
    ]);
  });
});
