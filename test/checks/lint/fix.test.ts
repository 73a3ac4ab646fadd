import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintCommand } from "../../../cli/commands/lint.js";
import { captureIo, tempDir } from "../../renderers/html/cli-io.js";
import { md } from "./lint-helpers.js";

/** Writes the files into a fresh folder; returns it. */
function folder(files: Record<string, string>): string {
  const dir = tempDir("lint-fix");
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("runbook lint --fix", () => {
  it("turns a pasted session with output into a console block, in place, and prints the change as a diff", async () => {
    const dir = folder({
      "dump.md": md(
        "# Dump",
        "",
        "## Checksum",
        "",
        "```sh",
        "$ sha256sum /etc/hostname",
        "ignored-output  /etc/hostname",
        "```",
      ),
    });
    const { io, stdout } = captureIo(dir);
    const code = await lintCommand(
      ["dump.md"],
      { fix: true, shellcheck: false },
      io,
    );
    expect(readFileSync(path.join(dir, "dump.md"), "utf8")).toBe(
      md(
        "# Dump",
        "",
        "## Checksum",
        "",
        "```console",
        "$ sha256sum /etc/hostname",
        "ignored-output  /etc/hostname",
        "```",
      ),
    );
    expect(stdout()).toContain("-```sh");
    expect(stdout()).toContain("+```console");
    expect(stdout()).toMatch(/dump\.md:5:1 .*console/);
    expect(stdout()).toMatch(/1 file fixed/);
    expect(stdout()).toMatch(/1 file, no problems/);
    expect(code).toBe(0);
  });

  it("strips the prompts of a session without output, says that the commands now run, keeps the rest of the line", async () => {
    const dir = folder({
      "chart.md": md(
        "## Install",
        "",
        "- Then:",
        "",
        "  ```bash {timeout=5m}",
        "  $ helm repo update",
        "  $ helm upgrade --install app ./chart \\",
        "      --namespace apps",
        "  ```",
      ),
    });
    const { io, stdout } = captureIo(dir);
    await lintCommand(["chart.md"], { fix: true, shellcheck: false }, io);
    expect(readFileSync(path.join(dir, "chart.md"), "utf8")).toBe(
      md(
        "## Install",
        "",
        "- Then:",
        "",
        "  ```bash {timeout=5m}",
        "  helm repo update",
        "  helm upgrade --install app ./chart \\",
        "      --namespace apps",
        "  ```",
      ),
    );
    expect(stdout()).toMatch(/prompts removed/);
    expect(stdout()).toMatch(/now runs/);
  });

  it("never strips root prompts: that would start running rm -rf", async () => {
    const text = md(
      "## Retry",
      "```sh",
      "# systemctl stop app-postgres",
      "# rm -rf /srv/app/postgres/data/*",
      "```",
    );
    const dir = folder({ "retry.md": text });
    const { io, stdout } = captureIo(dir);
    const code = await lintCommand(
      ["retry.md"],
      { fix: true, shellcheck: false },
      io,
    );
    expect(readFileSync(path.join(dir, "retry.md"), "utf8")).toBe(text);
    expect(code).toBe(1);
    expect(stdout()).toContain("pasted-session");
  });

  it("keeps stdout JSON with --format json (what changed goes to stderr) and keeps CRLF line ends", async () => {
    const dir = folder({
      "w.md": ["## A", "```sh", "$ true", "```", ""].join("\r\n"),
    });
    const { io, stdout, stderr } = captureIo(dir);
    expect(
      await lintCommand(
        ["w.md"],
        { fix: true, format: "json", shellcheck: false },
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(stdout())).toEqual([]);
    expect(stderr()).toContain("w.md");
    expect(readFileSync(path.join(dir, "w.md"), "utf8")).toBe(
      ["## A", "```sh", "true", "```", ""].join("\r\n"),
    );
  });
});

describe("a clean lint", () => {
  it("says so in one line", async () => {
    const ok = md("## A", "```sh", "true", "```");
    const dir = folder({ "a.md": ok, "b.md": ok, "c.md": ok });
    const { io, stdout } = captureIo(dir);
    expect(await lintCommand(["."], { shellcheck: false }, io)).toBe(0);
    expect(stdout()).toBe("3 files, no problems\n");
  });
});

describe("runbook lint --fix: placeholders and unlabelled blocks", () => {
  it('makes a placeholder a declared param: "${name}" in shell, :\'name\' and :"name" in SQL, and says the run now asks for it', async () => {
    const dir = folder({
      "up.md": md(
        "# Upgrade",
        "",
        "## Stop",
        "",
        "```sh",
        "kubectl get cluster <cluster-name> -o name",
        'export ENV="<env>"',
        "ssh db 'sudo systemctl stop <service>'",
        "```",
        "",
        "## Count",
        "",
        "```psql",
        "SELECT count(*) FROM <table-name> WHERE owner = '<cluster-name>';",
        "```",
      ),
    });
    const { io, stdout } = captureIo(dir);
    await lintCommand(["up.md"], { fix: true, shellcheck: false }, io);
    const after = readFileSync(path.join(dir, "up.md"), "utf8");
    expect(after).toBe(
      md(
        "---",
        "params:",
        '  cluster_name: { description: "was <cluster-name> in the code" }',
        '  env: { description: "was <env> in the code" }',
        '  service: { description: "was <service> in the code" }',
        '  table_name: { description: "was <table-name> in the code" }',
        "---",
        "",
        "# Upgrade",
        "",
        "## Stop",
        "",
        "```sh",
        'kubectl get cluster "${cluster_name}" -o name',
        'export ENV="${env}"',
        `ssh db 'sudo systemctl stop '"\${service}"''`,
        "```",
        "",
        "## Count",
        "",
        "```psql",
        "SELECT count(*) FROM :\"table_name\" WHERE owner = :'cluster_name';",
        "```",
      ),
    );
    expect(stdout()).toContain(
      '+  cluster_name: { description: "was <cluster-name> in the code" }',
    );
    expect(stdout()).toMatch(
      /placeholders become params \(<cluster-name> → cluster_name, .*\); declared in the front matter with no default, so a run asks for them/,
    );
    // Lint again: no placeholder is left, and the file parses with its new params.
    expect(stdout()).not.toMatch(/error +placeholder/);
    const again = captureIo(dir);
    await lintCommand(
      ["up.md"],
      { shellcheck: false, format: "json" },
      again.io,
    );
    // What is left is the runbook's own: a psql block and no database declared yet.
    expect(
      (JSON.parse(again.stdout()) as { rule: string }[]).map((d) => d.rule),
    ).toEqual(["missing-db"]);
  });

  it("adds to the params a runbook declares, at their indentation, and never touches a placeholder inside a longer SQL string", async () => {
    const dir = folder({
      "r.md": md(
        "---",
        "title: Restore",
        "params:",
        "    host: { default: 127.0.0.1 }",
        "date: 2024-01-01",
        "---",
        "",
        "## Restore",
        "```bash",
        'pg_restore -h "$host" -d app <dump-file>',
        "```",
        "",
        "## Note",
        "```sql {db=app}",
        "SELECT 'see <dump-file> later';",
        "```",
      ),
    });
    const { io } = captureIo(dir);
    await lintCommand(["r.md"], { fix: true, shellcheck: false }, io);
    const after = readFileSync(path.join(dir, "r.md"), "utf8").split("\n");
    expect(after.slice(0, 7)).toEqual([
      "---",
      "title: Restore",
      "params:",
      "    host: { default: 127.0.0.1 }",
      '    dump_file: { description: "was <dump-file> in the code" }',
      "date: 2024-01-01",
      "---",
    ]);
    expect(after).toContain('pg_restore -h "$host" -d app "${dump_file}"');
    expect(after).toContain("SELECT 'see <dump-file> later';");
  });

  it("labels an unlabelled block that is plainly shell, saying that it now runs; leaves output, prompts and interactive commands alone", async () => {
    const text = md(
      "# Replica",
      "",
      "## Reload consul",
      "",
      "```",
      "sudo rm /etc/consul/conf.d/db-replica*",
      "sudo systemctl reload consul",
      "```",
      "",
      "## Look",
      "",
      "```",
      "$ sudo gitlab-patronictl list",
      "```",
      "",
      "```",
      " name | setting",
      "------+--------",
      "```",
      "",
      "```",
      "sudo su - gitlab-psql",
      "```",
      "",
      "```",
      'pgrepack_dir=$(mktemp -d); [[ -d $pgrepack_dir ]] && pushd "$pgrepack_dir"',
      "```",
    );
    const dir = folder({ "replica.md": text });
    const { io, stdout } = captureIo(dir);
    await lintCommand(["replica.md"], { fix: true, shellcheck: false }, io);
    const after = readFileSync(path.join(dir, "replica.md"), "utf8");
    expect(after).toBe(text.replace("```\nsudo rm", "```sh\nsudo rm"));
    expect(stdout()).toMatch(
      /replica\.md:5:1 +fixed: unlabelled block → ```sh: it now runs as a new step, "Reload consul" \(2 commands, from sudo rm/,
    );
  });

  it("labels a block bash when it uses bash, and reports it as info until then", async () => {
    const text = md(
      "## Loop",
      "",
      "```",
      'for f in *.sql; do [[ -s $f ]] && psql -f "$f"; done',
      "```",
    );
    const dir = folder({ "loop.md": text });
    const first = captureIo(dir);
    expect(
      await lintCommand(
        ["loop.md"],
        { shellcheck: false, format: "json" },
        first.io,
      ),
    ).toBe(0);
    expect(JSON.parse(first.stdout())).toEqual([
      expect.objectContaining({
        line: 3,
        column: 1,
        severity: "info",
        rule: "unlabelled-shell",
      }),
    ]);
  });
});
