import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  postgresAdvice,
  shellInputs,
  shellPrograms,
  sshAdvice,
} from "../../../engine/preflight/index.js";
import { pgpassPassword } from "../../../engine/preflight/pgpass.js";

describe("the programs a shell block calls", () => {
  const names = (code: string) => shellPrograms(code).map((p) => p.name);

  it("finds commands in pipelines, $(…), conditions and behind wrappers; not builtins, functions or expansions", () => {
    const code = [
      "set -eu",
      "umask 077",
      'q() { psql -X "$@"; }',
      "avail=$(( $(df -P -k \"$dir\" | awk 'NR == 2 { print $4 }') * 1024 ))",
      'if [ "$avail" -lt 1 ]; then echo small >&2; exit 1; fi',
      'pg_dump --snapshot="$s" | gzip -6 > "$backup.sql.gz"',
      "sudo -n -u postgres env LC_ALL=C timeout 5 /usr/lib/postgresql/16/bin/pg_ctl status",
      'PGPASSWORD="$pw" pg_basebackup -D /x',
      '"$tool" --help',
      "coproc SNAPSHOT { psql -X -A; }",
      'q -c "SELECT 1"',
    ].join("\n");
    expect(names(code).sort()).toEqual(
      [
        "/usr/lib/postgresql/16/bin/pg_ctl",
        "awk",
        "df",
        "env",
        "gzip",
        "pg_basebackup",
        "pg_dump",
        "psql",
        "sudo",
        "timeout",
      ].sort(),
    );
  });

  it("keeps the arguments of each call (pg_dumpall --no-role-passwords, createdb NAME)", () => {
    expect(
      shellPrograms("pg_dumpall --roles-only --no-role-passwords > r.sql"),
    ).toEqual([
      { name: "pg_dumpall", calls: [["--roles-only", "--no-role-passwords"]] },
    ]);
  });

  it("lists the variables a script reads but does not set", () => {
    expect(
      shellInputs('x=1\necho "$x $work ${PGPASSWORD:-} $drill"').sort(),
    ).toEqual(["drill", "work"]);
  });
});

describe("what an ssh failure means and what to do", () => {
  it.each([
    [
      "Host key verification failed.",
      /not in known_hosts/,
      /ssh-keygen -lf .*connect once with ssh root@db1/,
    ],
    [
      "@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.",
      /has CHANGED/,
      /ssh-keygen -R db1/,
    ],
    [
      "root@db1: Permission denied (publickey,password).",
      /refused this machine's keys \(it accepts: publickey,password\); a run never types a password/,
      /ssh-copy-id root@db1/,
    ],
    [
      "ssh: Could not resolve hostname db1: Name or service not known",
      /does not resolve/,
      /\/etc\/hosts|ssh\/config/,
    ],
    [
      "ssh: connect to host db1 port 22: Connection refused",
      /nothing accepts ssh/,
      /sshd/,
    ],
    [
      "ssh: connect to host db1 port 22: Connection timed out",
      /no answer/,
      /firewall/,
    ],
    ["sudo: a password is required", /sudo asks for a password/, /NOPASSWD/],
  ])("%s", (stderr, why, fix) => {
    const advice = sshAdvice(stderr, "root@db1");
    expect(advice.why).toMatch(why);
    expect(advice.fix).toMatch(fix);
  });
});

describe("what a PostgreSQL connection failure means and what to do", () => {
  const where = { user: "app", host: "db1", port: "5432", database: "shop" };
  it.each([
    [
      {
        code: "28P01",
        message: 'password authentication failed for user "app"',
      },
      /password authentication failed/,
      /~\/.pgpass/,
    ],
    [
      {
        code: "28000",
        message:
          'no pg_hba.conf entry for host "10.0.0.9", user "app", database "shop", no encryption',
      },
      /pg_hba.conf entry/,
      /pg_hba.conf on db1:5432/,
    ],
    [
      { code: "3D000", message: 'database "shop" does not exist' },
      /does not exist/,
      /database name \(shop\)/,
    ],
    [
      { code: "ECONNREFUSED", message: "connect ECONNREFUSED 10.0.0.1:5432" },
      /nothing accepts connections on db1:5432/,
      /listen_addresses/,
    ],
    [
      {
        message:
          "SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string",
      },
      /no password for app/,
      /db1:5432:\*:app:PASSWORD/,
    ],
  ])("%j", (error, why, fix) => {
    const advice = postgresAdvice(error, where);
    expect(advice.why).toMatch(why);
    expect(advice.fix).toMatch(fix);
  });
});

describe("the password file", () => {
  function file(text: string, mode = 0o600): string {
    const dir = mkdtempSync(path.join(tmpdir(), "runbook-pgpass-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const f = path.join(dir, "pgpass");
    writeFileSync(f, text, { mode });
    return f;
  }

  it("matches host, port, database and user, with * and escapes, first line wins", () => {
    const PGPASSFILE = file(
      "# comment\nother:5432:*:app:nope\ndb1:5432:*:app:s3cr\\:et\\\\x\ndb1:*:*:*:fallback\n",
    );
    expect(
      pgpassPassword(
        { host: "db1", port: "5432", database: "shop", user: "app" },
        { PGPASSFILE },
      ),
    ).toBe("s3cr:et\\x");
    expect(
      pgpassPassword(
        { host: "db1", port: "6432", database: "shop", user: "root" },
        { PGPASSFILE },
      ),
    ).toBe("fallback");
    expect(
      pgpassPassword(
        { host: "db2", port: "5432", database: "shop", user: "app" },
        { PGPASSFILE },
      ),
    ).toBeUndefined();
  });

  it("ignores a file others may read, as libpq does", () => {
    expect(
      pgpassPassword(
        { host: "db1", port: "5432", database: "x", user: "app" },
        { PGPASSFILE: file("*:*:*:*:pw\n", 0o644) },
      ),
    ).toBeUndefined();
  });
});
