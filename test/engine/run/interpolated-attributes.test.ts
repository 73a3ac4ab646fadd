import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateRunbook } from "../../../engine/parse/index.js";
import {
  checksOf,
  done,
  failedWith,
  refused,
  runCase,
  type Case,
  type Seen,
} from "../../helpers/every-source.js";
import { md, parse } from "../../helpers/parse.js";
import { requireThat } from "../../helpers/require.js";

/**
 * SPEC 1.1: `${name}` interpolates params, captures, sentinels and environment
 * variables in every attribute value. For each attribute, one real runbook uses
 * the attribute once per source, and the test proves the value arrived.
 */

const IS_ROOT = process.getuid?.() === 0;

const here = (s: Seen, ...parts: string[]): string =>
  path.join(s.dir, ...parts);
const read = (file: string): string => readFileSync(file, "utf8");

const CASES: readonly Case[] = [
  {
    attribute: "cwd= (sh block)",
    value: (s) => `w-${s}`,
    sentinel: "value",
    prepare: ['mkdir -p w-set w-default w-capture w-env "$v_sentinel"'],
    use: (u) => [`\`\`\`sh {cwd="${u.ref}"}`, "pwd > where", "```"],
    verify: (s) => {
      done(s);
      expect(read(here(s, s.value, "where")).trim()).toBe(
        realpathSync(here(s, s.value)),
      );
    },
  },
  {
    attribute: "cwd= (console block)",
    value: (s) => `w-${s}`,
    sentinel: "value",
    prepare: ['mkdir -p w-set w-default w-capture w-env "$v_sentinel"'],
    use: (u) => [`\`\`\`console {cwd="${u.ref}"}`, "$ pwd > where", "```"],
    verify: (s) => {
      done(s);
      expect(read(here(s, s.value, "where")).trim()).toBe(
        realpathSync(here(s, s.value)),
      );
    },
  },
  {
    attribute: "cwd= (shell check)",
    value: (s) => `w-${s}`,
    sentinel: "value",
    prepare: ['mkdir -p w-set w-default w-capture w-env "$v_sentinel"'],
    use: (u) => [`::check{sh="pwd > where" cwd="${u.ref}"}`],
    verify: (s) => {
      done(s);
      expect(read(here(s, s.value, "where")).trim()).toBe(
        realpathSync(here(s, s.value)),
      );
    },
  },
  {
    attribute: "user= (sh block)",
    value: "postgres",
    sentinel: "refused",
    skip: !IS_ROOT,
    use: (u) => [`\`\`\`sh {user="${u.ref}"}`, "id -un", "```"],
    verify: (s) => {
      if (s.source === "sentinel")
        return failedWith(s, `no such user: ${s.value}`);
      done(s);
      expect(s.output.trim()).toBe("postgres");
    },
  },
  {
    attribute: "user= (console block)",
    value: "postgres",
    sentinel: "refused",
    skip: !IS_ROOT,
    use: (u) => [
      `\`\`\`console {user="${u.ref}"}`,
      "$ id -un",
      "postgres",
      "```",
    ],
    verify: (s) =>
      s.source === "sentinel"
        ? failedWith(s, `no such user: ${s.value}`)
        : done(s),
  },
  {
    attribute: "user= (shell check)",
    value: "postgres",
    sentinel: "refused",
    skip: !IS_ROOT,
    use: (u) => [`::check{sh="id -un" user="${u.ref}" expect=postgres}`],
    verify: (s) =>
      s.source === "sentinel"
        ? failedWith(s, `no such user: ${s.value}`)
        : done(s),
  },
  {
    attribute: "timeout= (sh block)",
    value: (s) =>
      ({ set: "300ms", default: "400ms", capture: "500ms", env: "600ms" })[s],
    sentinel: "refused",
    use: (u) => [`\`\`\`sh {timeout="${u.ref}"}`, "sleep 5", "```"],
    verify: (s) =>
      s.source === "sentinel"
        ? refused(s, "timeout")
        : failedWith(s, `timed out after ${s.value}`),
  },
  {
    attribute: "timeout= (console block)",
    value: (s) =>
      ({ set: "300ms", default: "400ms", capture: "500ms", env: "600ms" })[s],
    sentinel: "refused",
    use: (u) => [`\`\`\`console {timeout="${u.ref}"}`, "$ sleep 5", "```"],
    verify: (s) =>
      s.source === "sentinel"
        ? refused(s, "timeout")
        : failedWith(s, `timed out after ${s.value}`),
  },
  {
    attribute: "timeout= (shell check)",
    value: (s) =>
      ({ set: "300ms", default: "400ms", capture: "500ms", env: "600ms" })[s],
    sentinel: "refused",
    use: (u) => [`::check{sh="sleep 5" timeout="${u.ref}"}`],
    verify: (s) =>
      s.source === "sentinel"
        ? refused(s, "timeout")
        : failedWith(s, `timed out after ${s.value}`),
  },
  {
    attribute: "exit= (sh block)",
    value: "17",
    sentinel: "refused",
    use: (u) => [`\`\`\`sh {exit="${u.ref}"}`, "exit 17", "```"],
    verify: (s) => (s.source === "sentinel" ? refused(s, "exit") : done(s)),
  },
  {
    attribute: "exit= (shell check)",
    value: "17",
    sentinel: "refused",
    use: (u) => [`::check{sh="exit 17" exit="${u.ref}"}`],
    verify: (s) => (s.source === "sentinel" ? refused(s, "exit") : done(s)),
  },
  {
    attribute: "retry=",
    value: "2",
    sentinel: "refused",
    use: (u) => [
      `\`\`\`sh {retry="${u.ref}" retry-delay=10ms}`,
      'echo x >> "tries-$RUNBOOK_STEP"; false',
      "```",
    ],
    verify: (s) => {
      if (s.source === "sentinel") {
        refused(s, "retry");
        expect(existsSync(here(s, "tries-from-sentinel"))).toBe(false);
        return;
      }
      failedWith(s, "exit status 1");
      expect(
        read(here(s, `tries-from-${s.source}`))
          .trim()
          .split("\n"),
      ).toHaveLength(3);
    },
  },
  {
    attribute: "retry-delay=",
    value: (s) =>
      ({ set: "110ms", default: "120ms", capture: "130ms", env: "140ms" })[s],
    sentinel: "refused",
    use: (u) => [`\`\`\`sh {retry=1 retry-delay="${u.ref}"}`, "false", "```"],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "retry-delay");
      failedWith(s, "exit status 1");
      expect(s.output).toContain(`retry 1 of 1 in ${s.value}`);
    },
  },
  {
    attribute: "only= (sh block)",
    value: "rehearsal",
    sentinel: "refused",
    use: (u) => [
      `\`\`\`sh {only="${u.ref}"}`,
      'touch "ran-$RUNBOOK_STEP"',
      "```",
    ],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "only");
      done(s);
      expect(existsSync(here(s, `ran-from-${s.source}`))).toBe(false);
      expect(s.events).toContainEqual(
        expect.objectContaining({
          type: "action-end",
          stepId: `from-${s.source}`,
          outcome: {
            kind: "not-run",
            reason: "only=rehearsal: not run in a live run",
          },
        }),
      );
    },
  },
  {
    attribute: "only= (check)",
    value: "rehearsal",
    sentinel: "refused",
    use: (u) => [`::check{sh="exit 1" only="${u.ref}"}`],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "only");
      done(s);
      expect(checksOf(s)[0]?.outcome.message).toBe(
        "only=rehearsal: not checked in a live run",
      );
    },
  },
  {
    attribute: "run=",
    value: "false",
    sentinel: "refused",
    use: (u) => [
      `\`\`\`sh {run="${u.ref}"}`,
      'touch "ran-$RUNBOOK_STEP"',
      "```",
      "```sh",
      "true",
      "```",
    ],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "run");
      done(s);
      expect(existsSync(here(s, `ran-from-${s.source}`))).toBe(false);
    },
  },
  {
    attribute: "confirm (a flag)",
    value: "true",
    sentinel: "refused",
    use: (u) => [`\`\`\`sh {confirm="${u.ref}"}`, "true", "```"],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "confirm");
      done(s);
      expect(s.events).toContainEqual(
        expect.objectContaining({
          type: "gate",
          stepId: `from-${s.source}`,
          kind: "block",
        }),
      );
    },
  },
  {
    attribute: "file=",
    value: (s) => `f-${s}`,
    sentinel: "value",
    use: (u) => [`\`\`\`text {file="${u.ref}.conf"}`, "hello ${v_set}", "```"],
    verify: (s) => {
      done(s);
      expect(read(here(s, `${s.value}.conf`))).toBe("hello f-set\n");
    },
  },
  {
    attribute: "mode= (file block)",
    value: "append",
    sentinel: "refused",
    prepare: [
      'for s in set default capture sentinel env; do echo old > "m-$s.conf"; done',
    ],
    use: (u) => [
      `\`\`\`text {file="m-${u.source}.conf" mode="${u.ref}"}`,
      "new",
      "```",
    ],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "mode");
      done(s);
      expect(read(here(s, `m-${s.source}.conf`))).toBe("old\nnew\n");
    },
  },
  {
    attribute: "db= (sh block)",
    value: (s) => `d_${s}`,
    sentinel: "refused",
    frontMatter: [
      "databases:",
      ...(["set", "default", "capture", "env"] as const).map(
        (s) => `  d_${s}: { url: "postgres://someone@127.0.0.1:1/name_${s}" }`,
      ),
    ],
    use: (u) => [`\`\`\`sh {db="${u.ref}"}`, 'echo "$PGDATABASE"', "```"],
    verify: (s) => {
      if (s.source === "sentinel")
        return failedWith(s, `unknown database "${s.value}"`);
      done(s);
      expect(s.output.trim()).toBe(`name_${s.source}`);
    },
  },
  {
    attribute: "db= (shell check)",
    value: (s) => `d_${s}`,
    sentinel: "refused",
    frontMatter: [
      "databases:",
      ...(["set", "default", "capture", "env"] as const).map(
        (s) => `  d_${s}: { url: "postgres://someone@127.0.0.1:1/name_${s}" }`,
      ),
    ],
    use: (u) => [
      `::check{sh='echo "$PGDATABASE"' db="${u.ref}" expect="name_${u.source}"}`,
    ],
    verify: (s) =>
      s.source === "sentinel"
        ? failedWith(s, `unknown database "${s.value}"`)
        : done(s),
  },
  {
    attribute: "on= (sh block)",
    value: (s) => `h_${s}`,
    sentinel: "refused",
    frontMatter: [
      "hosts:",
      ...(["set", "default", "capture", "env"] as const).map(
        (s) => `  h_${s}: { ssh: "root@${s}.example" }`,
      ),
    ],
    use: (u) => [`\`\`\`sh {on="${u.ref}"}`, "echo remote", "```"],
    env: fakeSsh,
    verify: (s) => {
      if (s.source === "sentinel")
        return failedWith(s, `unknown host "${s.value}"`);
      done(s);
      expect(read(here(s, `ssh-from-${s.source}`))).toContain(
        `root@${s.source}.example`,
      );
    },
  },
  {
    attribute: "on= (shell check)",
    value: (s) => `h_${s}`,
    sentinel: "refused",
    frontMatter: [
      "hosts:",
      ...(["set", "default", "capture", "env"] as const).map(
        (s) => `  h_${s}: { ssh: "root@${s}.example" }`,
      ),
    ],
    use: (u) => [`::check{sh="echo remote" on="${u.ref}" expect=remote}`],
    env: fakeSsh,
    verify: (s) => {
      if (s.source === "sentinel")
        return failedWith(s, `unknown host "${s.value}"`);
      done(s);
      expect(read(here(s, `ssh-from-${s.source}`))).toContain(
        `root@${s.source}.example`,
      );
    },
  },
  {
    attribute: "expect=",
    value: (s) => `e-${s}`,
    sentinel: "value",
    use: (u) => [
      `::check{sh='echo "$${u.name}"' expect="${u.ref}"}`,
      `::check{sh='echo "$${u.name}"' expect="${u.ref}-not"}`,
    ],
    verify: (s) => {
      expect(
        checksOf(s).map((c) => [c.outcome.kind === "pass", c.outcome.message]),
      ).toEqual([
        [true, expect.any(String)],
        [false, `expected "${s.value}-not", got "${s.value}"`],
      ]);
    },
  },
  {
    attribute: "match=",
    value: (s) => `m-${s}`,
    sentinel: "value",
    use: (u) => [
      `::check{sh='echo "x\${${u.name}}x"' match="^x${u.ref}x$"}`,
      `::check{sh='echo "$${u.name}"' match="^${u.ref}-not$"}`,
    ],
    verify: (s) => {
      expect(
        checksOf(s).map((c) => [c.outcome.kind === "pass", c.outcome.message]),
      ).toEqual([
        [true, expect.any(String)],
        [
          false,
          `expected a value matching /^${s.value}-not$/, got "${s.value}"`,
        ],
      ]);
    },
  },
  {
    attribute: "rows=",
    value: ">2",
    sentinel: "refused",
    use: (u) => [
      `::check{sh="printf 'a\\nb\\nc\\n'" rows="${u.ref}"}`,
      `::check{sh="printf 'a\\nb\\n'" rows="${u.ref}"}`,
    ],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "rows");
      expect(
        checksOf(s).map((c) => [c.outcome.kind === "pass", c.outcome.message]),
      ).toEqual([
        [true, expect.any(String)],
        [false, "expected >2 rows, got 2"],
      ]);
    },
  },
  {
    attribute: "wait=",
    value: "5s",
    sentinel: "refused",
    use: (u) => [
      `::check{sh='echo x >> "polls-$RUNBOOK_STEP"; test $(wc -l < "polls-$RUNBOOK_STEP") -ge 3' wait="${u.ref}" every=50ms}`,
    ],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "wait");
      done(s);
      expect(checksOf(s)[0]?.outcome.attempts).toBe(3);
    },
  },
  {
    attribute: "every=",
    value: "60ms",
    sentinel: "refused",
    use: (u) => [
      `::check{sh='echo x >> "polls-$RUNBOOK_STEP"; test $(wc -l < "polls-$RUNBOOK_STEP") -ge 3' wait=20s every="${u.ref}"}`,
    ],
    verify: (s) => {
      if (s.source === "sentinel") return refused(s, "every");
      done(s);
      const outcome = checksOf(s)[0]?.outcome;
      expect(outcome?.attempts).toBe(3);
      // The default interval for wait=20s is two seconds, so three attempts would take at least 4 s
      // whatever the load; at every=60ms they take 120 ms plus three runs of the check.
      expect(outcome?.durationMs).toBeLessThan(4000);
    },
  },
  {
    attribute: "prompt= (::confirm)",
    value: (s) => `p-${s}`,
    sentinel: "value",
    use: (u) => [`::confirm{prompt="Go on with ${u.ref}?"}`],
    verify: (s) => {
      done(s);
      expect(
        s.gates.find((g) => g.step.id === `from-${s.source}`)?.prompt,
      ).toBe(`Go on with ${s.value}?`);
    },
  },
  {
    attribute: "type= (::confirm)",
    value: (s) => `t-${s}`,
    sentinel: "value",
    use: (u) => [`::confirm{type="${u.ref}"}`],
    verify: (s) => {
      done(s);
      expect(
        s.gates.find((g) => g.step.id === `from-${s.source}`),
      ).toMatchObject({
        typed: s.value,
        prompt: `Type "${s.value}" to continue`,
      });
    },
  },
];

/** A stand-in for OpenSSH that records its argv per step and runs the remote command with the script on stdin. */
function fakeSsh(dir: string): Record<string, string> {
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    path.join(bin, "ssh"),
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/ssh-$RUNBOOK_STEP"\nfor last; do :; done\nexec sh -c "$last"\n`,
  );
  chmodSync(path.join(bin, "ssh"), 0o755);
  return { PATH: `${bin}:${process.env["PATH"] ?? ""}` };
}

describe("${name} in every attribute, from every source (SPEC 1.1)", () => {
  for (const c of CASES) {
    it(c.attribute, async () => {
      requireThat(
        c.skip !== true,
        "root, for user= through runuser (CI runs as root)",
      );
      await runCase(c);
    });
  }

  it("static checks leave ${} in db=, on=, match= and rows= for run time", () => {
    const { runbook, diagnostics } = parse(
      md(
        "---",
        "params:",
        "  d: { default: a }",
        "  h: { default: x }",
        '  n: { default: "2" }',
        "databases:",
        "  a: postgres://u@h/db",
        "hosts:",
        "  x: { ssh: root@x }",
        "---",
        "## S",
        '```sh {db="${d}" on="${h}"}',
        "true",
        "```",
        '::check{sh="echo a" match="^${d}$" rows="${n}" db="${d}"}',
      ),
    );
    const problems = [
      ...diagnostics,
      ...validateRunbook(runbook, { env: {} }),
    ].filter((d) => d.severity === "error");
    expect(problems).toEqual([]);
  });
});
