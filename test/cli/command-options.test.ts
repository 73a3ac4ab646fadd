import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, waitFor } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

/** SPEC 1.1's params and SPEC 3's command options, through the built CLI. */

const RUNBOOK = md(
  "---",
  "params:",
  "  tier: { default: gold, pattern: '^[a-z]+$' }",
  "  region: { description: where it runs }",
  "---",
  "## Alpha",
  "```sh",
  'echo "alpha $tier $region" >> log',
  "```",
  "## Beta",
  "```sh",
  "echo beta >> log",
  "```",
  "## Gamma",
  "```sh",
  "echo gamma >> log",
  "```",
);

function setup(): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "r.md"), RUNBOOK);
  return dir;
}
const log = (dir: string): string[] =>
  existsSync(path.join(dir, "log"))
    ? readFileSync(path.join(dir, "log"), "utf8").trim().split("\n")
    : [];

describe("params (SPEC 1.1)", () => {
  it("--set wins over the environment, which wins over the default", async () => {
    const dir = setup();
    expect(
      (
        await cli(
          [
            "run",
            "r.md",
            "--yes",
            "--only",
            "alpha",
            "--set",
            "tier=silver",
            "--set",
            "region=eu",
          ],
          { cwd: dir, env: { tier: "bronze" } },
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await cli(
          ["run", "r.md", "--yes", "--only", "alpha", "--set", "region=eu"],
          { cwd: dir, env: { tier: "bronze" } },
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await cli(["run", "r.md", "--yes", "--only", "alpha"], {
          cwd: dir,
          env: { region: "us" },
        })
      ).code,
    ).toBe(0);
    expect(log(dir)).toEqual([
      "alpha silver eu",
      "alpha bronze eu",
      "alpha gold us",
    ]);
  });

  it("a run with no terminal and a param with no value exits 2 before anything runs, at the param", async () => {
    const dir = setup();
    const r = await cli(["run", "r.md", "--yes"], {
      cwd: dir,
      env: { region: undefined },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'r.md:4:3: error: param "region" has no value: pass --set region=… or set region in the environment (where it runs) [param-missing]',
    );
    expect(log(dir)).toEqual([]);
  });

  it("a value from --set or the environment that misses the pattern is refused before anything runs, at the param", async () => {
    const dir = setup();
    for (const [args, env] of [
      [["--set", "tier=Gold1"], {}],
      [[], { tier: "Gold1" }],
    ] as const) {
      const r = await cli(
        ["run", "r.md", "--yes", "--set", "region=eu", ...args],
        { cwd: dir, env },
      );
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        'r.md:3:3: error: param "tier": "Gold1" does not match its pattern /^[a-z]+$/ [param-pattern]',
      );
    }
    expect(log(dir)).toEqual([]);
  });
});

describe("command options (SPEC 3)", () => {
  it("--from, --to and --only pick the steps", async () => {
    const dir = setup();
    const env = { region: "eu" };
    expect(
      (await cli(["run", "r.md", "--yes", "--from", "beta"], { cwd: dir, env }))
        .code,
    ).toBe(0);
    expect(log(dir)).toEqual(["beta", "gamma"]);
    expect(
      (await cli(["run", "r.md", "--yes", "--to", "beta"], { cwd: dir, env }))
        .code,
    ).toBe(0);
    expect(log(dir).slice(2)).toEqual(["alpha gold eu", "beta"]);
    expect(
      (
        await cli(["run", "r.md", "--yes", "--only", "gamma"], {
          cwd: dir,
          env,
        })
      ).code,
    ).toBe(0);
    expect(log(dir).slice(4)).toEqual(["gamma"]);
  });

  it("--reporter json prints one event per line, ending with the outcome; --reporter plain prints lines", async () => {
    const dir = setup();
    const json = await cli(
      ["run", "r.md", "--yes", "--reporter", "json", "--set", "region=eu"],
      { cwd: dir },
    );
    expect(json.code, json.stderr).toBe(0);
    const events = json.stdout
      .trim()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            stepId?: string;
            state?: string;
            status?: string;
          },
      );
    expect(events[0]?.type).toBe("run-start");
    expect(
      events
        .filter((e) => e.type === "step-end")
        .map((e) => [e.stepId, e.state]),
    ).toEqual([
      ["alpha", "done"],
      ["beta", "done"],
      ["gamma", "done"],
    ]);
    expect(events.at(-1)).toMatchObject({
      type: "run-end",
      status: "done",
      exitCode: 0,
    });
    const plain = await cli(
      ["run", "r.md", "--yes", "--reporter", "plain", "--set", "region=eu"],
      { cwd: dir },
    );
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/✔ Gamma/);
    expect(plain.stdout).not.toMatch(/^\{/m);
  });

  it("--reporter json ends with the proof: each check with its values, each sentinel written and found, the skipped steps", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "proof.md"),
      md(
        "::sentinel{#last_write}",
        "## Write the token",
        "```sh",
        'echo "$last_write" > token.txt',
        "```",
        "## Skipped",
        "::step{#skipped}",
        "```sh",
        "touch should-not-exist",
        "```",
        "## Verify",
        '::step{needs="write-the-token"}',
        ':::check{expect="${last_write}"}',
        "```sh",
        "cat token.txt",
        "```",
        ":::",
      ),
    );
    const r = await cli(
      [
        "run",
        "proof.md",
        "--yes",
        "--reporter",
        "json",
        "--only",
        "write-the-token",
        "--only",
        "verify",
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const token = (lines[0] as { sentinels: Record<string, string> }).sentinels[
      "last_write"
    ];
    expect(token).toMatch(/\S{8,}/);
    expect(lines.at(-1)).toMatchObject({ type: "run-end", status: "done" });
    expect(lines.at(-2)).toEqual({
      type: "proof",
      checks: [
        {
          step: "verify",
          title: "Verify",
          index: 0,
          line: 13,
          ok: true,
          expected: token,
          actual: token,
          message: expect.any(String),
        },
      ],
      sentinels: [
        {
          name: "last_write",
          token,
          proven: true,
          written: [
            {
              step: "write-the-token",
              title: "Write the token",
              line: 3,
              ok: true,
              what: "sh",
            },
          ],
          found: [
            {
              step: "verify",
              title: "Verify",
              line: 13,
              ok: true,
              what: "check 1",
            },
          ],
        },
      ],
      skipped: [],
    });
    expect(existsSync(path.join(dir, "should-not-exist"))).toBe(false);
  });

  it("graph prints dot and json", async () => {
    const dir = setup();
    const dot = await cli(["graph", "r.md", "--format", "dot"], { cwd: dir });
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph runbook \{/);
    expect(dot.stdout).toContain('"alpha" -> "beta";');
    expect(dot.stdout).toContain('"beta" -> "gamma";');
    const json = await cli(["graph", "r.md", "--format", "json"], { cwd: dir });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      order: ["alpha", "beta", "gamma"],
      nodes: [{ id: "alpha" }, { id: "beta" }, { id: "gamma" }],
    });
  });

  it("report with no RUN-ID writes the latest run", async () => {
    const dir = setup();
    const first = await cli(
      ["run", "r.md", "--yes", "--only", "alpha", "--set", "region=eu"],
      { cwd: dir },
    );
    expect(first.code).toBe(0);
    // Run ids start with the second they were made in: let the clock pass one.
    const second = new Date().toISOString().slice(0, 19);
    await waitFor(
      () => new Date().toISOString().slice(0, 19) !== second,
      5_000,
    );
    const latest = await cli(
      ["run", "r.md", "--yes", "--only", "gamma", "--set", "region=eu"],
      { cwd: dir },
    );
    expect(latest.code).toBe(0);
    const id = /run (\d{8}-\d{6}-[0-9a-f]{6})/.exec(latest.stdout)?.[1] ?? "";
    expect(id).not.toBe("");
    const r = await cli(["report", "--out", "report.html"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(
      `wrote the report of run ${id} to report.html`,
    );
    const html = readFileSync(path.join(dir, "report.html"), "utf8");
    expect(html).toContain(id);
    expect(html).toContain("Gamma");
    const none = await cli(
      ["report", "--out", "x.html", "--state-dir", "nowhere"],
      { cwd: dir },
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^runbook: no runs in .*nowhere to report/);
  });
});
