import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { found, lintMarkdown, md } from "./lint-helpers.js";

/** Front matter of 4 lines: params `target` and `pw`. */
const FM = md(
  "---",
  "params: { target: { default: /srv }, pw: { secret: true } }",
  "---",
  "",
);
const sh = (...lines: string[]): string =>
  md("## Step", "```sh", ...lines, "```");
// The first line of a block made by sh() is line 7 of FM + sh().

const shellcheckInstalled = spawnSync("shellcheck", ["--version"]).status === 0;

describe("shell-syntax (bash -n)", () => {
  it("reports an unclosed if at the last line of its block", async () => {
    const d = await lintMarkdown(
      FM + sh("echo start", "if [ -f /etc/passwd ]; then echo yes"),
    );
    expect(found(d, "shell-syntax")).toEqual(["8:1 error shell-syntax"]);
    expect(d[0]?.message).toMatch(/not closed/);
  });

  it("finds every broken block among many, each at its own line", async () => {
    const blocks = Array.from({ length: 40 }, (_, i) =>
      i === 7
        ? sh("echo a", "fi")
        : i === 31
          ? sh("x=$((1 +", 'echo "unterminated')
          : sh(`echo ${i}`),
    );
    const d = await lintMarkdown(FM + blocks.join(""));
    // Block i starts at line 5 + 4i (block 7 has a line more): `fi` is on line 36, the unterminated quote ends on 133.
    expect(found(d, "shell-syntax")).toEqual([
      "36:1 error shell-syntax",
      "133:1 error shell-syntax",
    ]);
  });

  it("reports in sh= checks, :::check blocks and console sessions", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## Step",
          '::check{sh="test -f x && (echo ok"}',
          ":::check",
          "```bash",
          "case x in",
          "```",
          ":::",
          "```console",
          "$ echo ok",
          "ok",
          "$ done",
          "```",
        ),
    );
    expect(found(d, "shell-syntax")).toEqual([
      "6:13 error shell-syntax",
      "9:1 error shell-syntax",
      "15:3 error shell-syntax",
    ]);
  });

  it("accepts valid shell: here-documents, extglob, case, functions, arithmetic", async () => {
    const d = await lintMarkdown(
      FM +
        sh(
          'cat > "$target/conf" <<EOF',
          "listen_addresses = '*'",
          "EOF",
          "shopt -s extglob",
          'rm -f "$target"/!(keep).log',
          'case "$1" in start) echo s ;; *) echo other ;; esac',
          'f() { local n=$(( $# + 1 )); echo "$n"; }',
          "f a b",
        ),
    );
    expect(found(d, "shell-syntax")).toEqual([]);
  });

  it("reports an unterminated here-document as a warning", async () => {
    const d = await lintMarkdown(FM + sh("cat <<EOF", "no end"));
    expect(found(d, "shell-syntax")).toEqual(["7:1 warning shell-syntax"]);
  });
});

describe("shellcheck", () => {
  it("reports findings with shellcheck codes as rule ids, mapped to Markdown lines and columns", async () => {
    const d = await lintMarkdown(
      FM + sh("echo start", "ls $(cat /etc/hostname)"),
      { shellcheck: true },
    );
    expect(found(d, "shellcheck/SC2046")).toEqual(
      shellcheckInstalled ? ["8:4 warning shellcheck/SC2046"] : [],
    );
  });

  it("does not report params as unassigned, cd without || exit, or a missing shebang", async () => {
    const d = await lintMarkdown(
      FM + sh('cd "$target"', 'echo "$pw" | wc -c'),
      { shellcheck: true },
    );
    expect(found(d)).toEqual([]);
  });

  it("reads sh blocks as POSIX sh and bash blocks as bash", async () => {
    const d = await lintMarkdown(
      FM +
        sh('[[ -n "$target" ]] && echo ok') +
        md("## B", "```bash", '[[ -n "$target" ]] && echo ok', "```"),
      { shellcheck: true },
    );
    expect(found(d).filter((f) => f.includes("shellcheck/"))).toEqual(
      shellcheckInstalled ? ["7:1 warning shellcheck/SC3010"] : [],
    );
  });

  it("is not run with shellcheck: false", async () => {
    const d = await lintMarkdown(FM + sh("ls $(cat /etc/hostname)"), {
      shellcheck: false,
    });
    expect(found(d)).toEqual([]);
  });
});

describe("destructive-shell", () => {
  it.each([
    ["rm -rf /var/lib/postgresql/15/main", "rm -rf"],
    ['sudo -u postgres rm -fr "$target/data"', "rm -rf"],
    ['rm --recursive --force "$target"', "rm -rf"],
    ["dropdb app", "dropdb"],
    ['pg_ctl -D "$target" -m fast stop', "pg_ctl stop"],
    ["pg_ctlcluster 15 main stop", "pg_ctlcluster stop"],
    ["systemctl stop postgresql@15-main", "systemctl stop postgresql"],
    ["pg_dropcluster 15 main", "pg_dropcluster"],
    ["pg_restore --clean --dbname=app dump", "pg_restore --clean"],
    ["pg_restore -Fc -c -d app dump", "pg_restore --clean"],
    ['ssh -p 22 root@db1 "pg_ctlcluster 15 main stop"', "pg_ctlcluster stop"],
    ['su - postgres -c "dropdb app"', "dropdb"],
    ['psql -c "DROP TABLE users"', "DROP TABLE"],
    ["if true; then timeout 30 env X=1 dropdb app; fi", "dropdb"],
    // SPEC 5: rm -rf wherever it points, find -delete, stopping any database, --clean restores.
    ["rm -rf /tmp/restore-test", "rm -rf"],
    [
      'find /srv/app/pg_wal_archive -name "*.gz" -mtime +7 -delete',
      "find -delete",
    ],
    ['sudo find "$target" -type f -exec rm -f {} +', "find -exec rm"],
    ["systemctl stop mariadb", "systemctl stop mariadb"],
    ["sudo service mysql stop", "service mysql stop"],
    [
      "systemctl stop app-postgres.service",
      "systemctl stop app-postgres.service",
    ],
    ["pg_dump --clean -h old app | psql -h new app", "pg_dump --clean"],
    ["pg_dumpall -c -h old | psql -h new postgres", "pg_dumpall --clean"],
  ])("reports %s without a confirmation", async (command, what) => {
    const d = await lintMarkdown(FM + sh("echo before", command));
    expect(found(d, "destructive-shell")).toEqual([
      expect.stringMatching(/^8:\d+ error destructive-shell$/),
    ]);
    expect(d.find((x) => x.rule === "destructive-shell")?.message).toContain(
      what,
    );
  });

  it("points at the command name", async () => {
    const d = await lintMarkdown(FM + sh("echo before; sudo rm -rf /srv/data"));
    expect(found(d, "destructive-shell")).toEqual([
      "7:19 error destructive-shell",
    ]);
  });

  it.each([
    ['rm -f "$target/old.dump"'],
    ['rm -r "$target/empty-dir"'],
    ['find /var/log/app -name "*.gz" -print'],
    ["pg_dump --clean -f app.sql app"],
    ['echo "rm -rf /"'],
    ["grep -c 'dropdb' /var/log/syslog"],
    ["pg_restore -Fc -d app dump"],
    ["systemctl restart postgresql"],
    ["systemctl stop nginx"],
    ['psql -c "SELECT 1"'],
    ["pg_ctl status"],
  ])("does not report %s", async (command) => {
    const d = await lintMarkdown(FM + sh(command));
    expect(found(d, "destructive-shell")).toEqual([]);
  });

  it("accepts a confirmed block, a step with a ::confirm gate, and rehearsal-only blocks", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          "```sh {confirm}",
          "dropdb app",
          "```",
          "## B",
          '::confirm{type="app"}',
          "```sh",
          "dropdb app",
          "```",
          "## C",
          "```sh {only=rehearsal}",
          "dropdb app",
          "```",
        ),
    );
    expect(found(d, "destructive-shell")).toEqual([]);
  });
});

describe("undefined-shell-variable and capture-order in shell", () => {
  it("warns about a lower-case variable nothing sets, once per block", async () => {
    const d = await lintMarkdown(FM + sh('echo "$targte"', 'ls "$targte"'));
    expect(found(d, "undefined-shell-variable")).toEqual([
      "7:7 warning undefined-shell-variable",
    ]);
  });

  it("accepts params, captures, sentinels, local assignments, loops, reads, defaults and environment names", async () => {
    const d = await lintMarkdown(
      FM +
        md("::sentinel{#token}") +
        md("## Capture", "```sh {capture=port}", "echo 5432", "```") +
        sh(
          'n=1; export DIR=/x; local_var="$n"',
          'for f in "$target"/*.sql; do echo "$f"; done',
          'while read -r line; do echo "$line"; done < /etc/hosts',
          'echo "$port $token $pw $HOME ${maybe:-default} $1 $# $?"',
          '((count++)); echo "$count" "$http_proxy"',
          "awk '{ print $undefined_in_awk }' /etc/hosts",
          'echo "$local_var"',
        ) +
        md("## Verify", `::check{sh="echo $token" expect="\${token}"}`),
    );
    expect(found(d, "undefined-shell-variable", "capture-order")).toEqual([]);
  });

  it("explains that sh= is not interpolated when it names something undefined in braces", async () => {
    const d = await lintMarkdown(
      FM +
        md("## S", "```sh", "true", "```", '::check{sh="test -d ${data_dir}"}'),
    );
    expect(found(d, "undefined-shell-variable")).toEqual([
      "9:21 warning undefined-shell-variable",
    ]);
    expect(d[0]?.message).toMatch(/does not interpolate/);
  });

  it("reports a captured variable used in shell before the step that captures it", async () => {
    const d = await lintMarkdown(
      FM +
        sh('echo "$port"') +
        md("## Capture", "```sh {capture=port}", "echo 5432", "```"),
    );
    expect(found(d, "capture-order")).toEqual(["7:7 error capture-order"]);
  });

  it("follows the step graph, not document order", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## Use",
          '::step{#use needs="capture"}',
          "```sh",
          'echo "$port"',
          "```",
          "## Capture",
          '::step{#capture needs=""}',
          "```sh {capture=port}",
          "echo 5432",
          "```",
        ),
    );
    expect(found(d, "capture-order")).toEqual([]);
  });
});
