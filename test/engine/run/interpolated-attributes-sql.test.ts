import { describe, expect, it } from "vitest";
import {
  done,
  failedWith,
  refused,
  runCase,
  type Case,
} from "../../helpers/every-source.js";
import { useSandbox } from "../../helpers/pg.js";
import { requireThat } from "../../helpers/require.js";

/** SPEC 1.1 `${name}` in the attributes of sql and psql blocks and SQL checks, against a real cluster. */

const pgEnv = useSandbox(["main"]);
const NAMES = ["set", "default", "capture", "env"] as const;
/** One database per source, each its own PostgreSQL database on the cluster, and `admin` to create them. */
const DATABASES = [
  "databases:",
  '  admin: { url: "postgres://postgres@127.0.0.1:5432/postgres", sandbox: { cluster: main } }',
  ...NAMES.map(
    (s) =>
      `  d_${s}: { url: "postgres://postgres@127.0.0.1:5432/name_${s}", sandbox: { cluster: main } }`,
  ),
];
const CREATE = [
  "```sql {db=admin}",
  ...NAMES.map(
    (s) => `DROP DATABASE IF EXISTS name_${s}; CREATE DATABASE name_${s};`,
  ),
  "```",
];

const CASES: readonly Case[] = [
  {
    attribute: "db= (sql block)",
    value: (s) => `d_${s}`,
    sentinel: "refused",
    frontMatter: DATABASES,
    prepareBlocks: CREATE,
    use: (u) => [
      `\`\`\`sql {db="${u.ref}"}`,
      "SELECT current_database() AS here",
      "```",
    ],
    verify: (s) => {
      if (s.source === "sentinel")
        return failedWith(s, `unknown database "${s.value}"`);
      done(s);
      expect(s.output).toContain(`name_${s.source}`);
    },
  },
  {
    attribute: "db= (SQL check)",
    value: (s) => `d_${s}`,
    sentinel: "refused",
    frontMatter: DATABASES,
    prepareBlocks: CREATE,
    use: (u) => [
      `::check{db="${u.ref}" sql="SELECT current_database()" expect="name_${u.source}"}`,
    ],
    verify: (s) =>
      s.source === "sentinel"
        ? failedWith(s, `unknown database "${s.value}"`)
        : done(s),
  },
  {
    attribute: "db= (psql block)",
    value: (s) => `d_${s}`,
    sentinel: "refused",
    frontMatter: DATABASES,
    prepareBlocks: CREATE,
    use: (u) => [
      `\`\`\`psql {db="${u.ref}"}`,
      "SELECT current_database();",
      "```",
    ],
    verify: (s) => {
      if (s.source === "sentinel")
        return failedWith(s, `unknown database "${s.value}"`);
      done(s);
      expect(s.output).toContain(`name_${s.source}`);
    },
  },
  {
    attribute: "timeout= (sql block)",
    value: (s) =>
      ({ set: "1100ms", default: "1200ms", capture: "1300ms", env: "1400ms" })[
        s
      ],
    sentinel: "refused",
    frontMatter: DATABASES.slice(0, 2),
    use: (u) => [
      `\`\`\`sql {db=admin timeout="${u.ref}"}`,
      "SELECT current_setting('statement_timeout') AS limit_now",
      "```",
    ],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "timeout");
      done(s);
      // PostgreSQL shows 1100ms as 1100ms.
      expect(s.output).toContain(s.value);
    },
  },
  {
    attribute: "timeout= (SQL check)",
    value: (s) =>
      ({ set: "300ms", default: "400ms", capture: "500ms", env: "600ms" })[s],
    sentinel: "refused",
    frontMatter: DATABASES.slice(0, 2),
    use: (u) => [
      `::check{db=admin sql="SELECT pg_sleep(5)" timeout="${u.ref}"}`,
    ],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "timeout");
      // pg_sleep(5) is well inside the default 30 s limit: only the interpolated timeout cancels it.
      failedWith(s, "canceling statement due to statement timeout");
    },
  },
  {
    attribute: "user= (psql block)",
    value: "postgres",
    sentinel: "refused",
    skip: process.getuid?.() !== 0,
    frontMatter: DATABASES.slice(0, 2),
    use: (u) => [`\`\`\`psql {db=admin user="${u.ref}"}`, "\\! id -un", "```"],
    verify: (s) => {
      if (s.source === "sentinel")
        return failedWith(s, `no such user: ${s.value}`);
      done(s);
      expect(s.output.trim()).toBe("postgres");
    },
  },
];

describe("${name} in sql and psql attributes, from every source (SPEC 1.1)", () => {
  for (const c of CASES) {
    it(c.attribute, async () => {
      requireThat(
        c.skip !== true,
        "root, for user= through runuser (CI runs as root)",
      );
      const { binding, secrets } = pgEnv();
      await runCase(c, { sandbox: binding, secrets, mode: "rehearsal" });
    });
  }
});
