import { describe, expect, it } from "vitest";
import { commandWords, scanShell } from "../../../checks/lint/shell-scan.js";

const words = (code: string): string[][] =>
  scanShell(code).commands.map((c) => commandWords(c).map((w) => w.text));

describe("scanShell", () => {
  it("splits commands at operators and newlines and removes quotes", () => {
    expect(
      words(
        `sudo -u postgres "rm" '-rf' /x && echo "a b" | wc -l; ls\n(cd /; pwd)`,
      ),
    ).toEqual([
      ["sudo", "-u", "postgres", "rm", "-rf", "/x"],
      ["echo", "a b"],
      ["wc", "-l"],
      ["ls"],
      ["cd", "/"],
      ["pwd"],
    ]);
  });

  it("drops leading keywords, assignments and redirections", () => {
    const scan = scanShell(
      "if true; then PGUSER=x dropdb app 2>&1 >/dev/null; fi",
    );
    expect(
      scan.commands.map((c) => commandWords(c).map((w) => w.text)),
    ).toEqual([["true"], ["dropdb", "app"], []]);
    expect(scan.commands[1]?.assignments.map((w) => w.text)).toEqual([
      "PGUSER=x",
    ]);
  });

  it("reads commands inside $(…), backticks and process substitution", () => {
    expect(words('echo "$(dropdb a)" `pg_ctl stop` <(rm -rf /x)')).toEqual([
      ["dropdb", "a"],
      ["pg_ctl", "stop"],
      ["rm", "-rf", "/x"],
      ["echo", '"$(dropdb a)"'.slice(1, -1), "`pg_ctl stop`", "<(rm -rf /x)"],
    ]);
  });

  it("finds variable uses with their places, not in single quotes or comments", () => {
    const scan = scanShell(
      `echo "$a" \${b:-x} '$c' # $d\nawk '{print $1}' \${e} $f\\$g`,
    );
    expect(
      scan.variables.map(
        (v) => `${v.name}@${v.line}:${v.column}${v.guarded ? " guarded" : ""}`,
      ),
    ).toEqual(["a@1:7", "b@1:11 guarded", "e@2:18", "f@2:23"]);
  });

  it("reads here-documents: body variables when the delimiter is not quoted, and the body for psql", () => {
    const scan = scanShell(
      `psql <<SQL\nDROP TABLE $t;\nSQL\ncat <<'EOF'\n$not_a_use\nEOF\necho "$after"`,
    );
    expect(scan.commands[0]?.heredocs).toEqual([
      { body: "DROP TABLE $t;\n", line: 2, expands: true },
    ]);
    expect(scan.variables.map((v) => v.name)).toEqual(["t", "after"]);
    expect(
      words(
        `psql <<SQL\nDROP TABLE $t;\nSQL\ncat <<'EOF'\n$not_a_use\nEOF\necho "$after"`,
      ),
    ).toEqual([["psql"], ["cat"], ["echo", "$after"]]);
  });

  it("knows what the code assigns", () => {
    const scan = scanShell(
      "a=1; export B=2 c; read -r d e; for f in 1; do :; done; local g; printf -v h x; ((i++)); mapfile -t j; declare -A k",
    );
    expect([...scan.assigned].sort()).toEqual([
      "B",
      "a",
      "c",
      "d",
      "e",
      "f",
      "g",
      "h",
      "i",
      "j",
      "k",
    ]);
    expect(scanShell(". ./env.sh").dynamic).toBe(true);
  });

  it("never throws on broken text", () => {
    for (const text of [
      'echo "unterminated',
      "'",
      "$(",
      "${",
      "cat <<",
      "`",
      "a=(",
      "((",
      "echo \\",
    ])
      expect(() => scanShell(text)).not.toThrow();
  });
});
