import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
}
interface Action {
  readonly name: string;
  readonly description: string;
  readonly inputs: Record<string, { description: string; default?: string }>;
  readonly runs: { using: string; steps: Step[] };
}
interface Hook {
  readonly id: string;
  readonly name: string;
  readonly entry: string;
  readonly language: string;
  readonly types: string[];
}

const action = parse(
  readFileSync(path.join(ROOT, "action.yml"), "utf8"),
) as Action;
const hooks = parse(
  readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8"),
) as Hook[];
const pkg = JSON.parse(
  readFileSync(path.join(ROOT, "package.json"), "utf8"),
) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
  files: string[];
};

const CLEAN = md("# Clean", "## Say hello", "```sh", "echo hello", "```");
const BROKEN = md(
  "# Broken",
  "## Stop",
  "```sh",
  "$ sudo systemctl stop postgresql",
  "```",
);

/** Runs one `run:` step of the action as the runner would: bash, its env, GITHUB_ACTION_PATH, GITHUB_OUTPUT. */
function runStep(
  step: Step,
  cwd: string,
  inputs: Record<string, string>,
): { status: number | null; stdout: string; stderr: string; output: string } {
  const output = path.join(tempDir("gh-output-"), "output");
  writeFileSync(output, "");
  const env = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([name, value]) => [
      name,
      value.replace(
        /\$\{\{ inputs\.([\w-]+) \}\}/g,
        (_, input: string) =>
          inputs[input] ?? action.inputs[input]?.default ?? "",
      ),
    ]),
  );
  const r = spawnSync("bash", ["-e", "-c", step.run ?? ""], {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      NO_COLOR: "1",
      ...env,
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: output,
    },
    timeout: 240_000,
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    output: readFileSync(output, "utf8"),
  };
}

function step(name: string): Step {
  const found = action.runs.steps.find((s) => s.name === name);
  if (!found) throw new Error(`action.yml has no step "${name}"`);
  return found;
}

describe("the GitHub Action (action.yml)", () => {
  it("is a composite action whose run steps name their shell, take inputs through env, and use pinned actions", () => {
    expect(action.runs.using).toBe("composite");
    expect(action.name).toBe("runbook");
    expect(action.description).not.toBe("");
    for (const s of action.runs.steps) {
      if (s.run !== undefined) {
        expect(s.shell, s.name).toBe("bash");
        // An input pasted into a script is code injection: inputs reach scripts as environment variables.
        expect(s.run, s.name).not.toMatch(/\$\{\{/);
      } else {
        expect(s.uses, s.name).toMatch(/^[\w-]+\/[\w/-]+@v\d+$/);
      }
    }
    const text = readFileSync(path.join(ROOT, "action.yml"), "utf8");
    for (const [, input] of text.matchAll(/\$\{\{[^}]*inputs\.([\w-]+)/g))
      expect(Object.keys(action.inputs)).toContain(input);
    expect(action.inputs["format"]?.default).toBe("github");
  });

  it("installs runbook with the commands this repository has", () => {
    const install = step("Install runbook").run ?? "";
    expect(install).toContain("npm ci");
    expect(install).toContain("npm run build");
    expect(pkg.scripts["build"]).toBeDefined();
    expect(
      readFileSync(path.join(ROOT, "package-lock.json"), "utf8").length,
    ).toBeGreaterThan(0);
  });

  it("lints with --format github: annotations, exit 1 on an error, 0 when clean", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "clean.md"), CLEAN);
    const clean = runStep(step("Lint runbooks"), dir, { files: "clean.md" });
    expect(clean.status).toBe(0);
    writeFileSync(path.join(dir, "broken.md"), BROKEN);
    const broken = runStep(step("Lint runbooks"), dir, {
      files: "clean.md broken.md",
    });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(
      /^::error file=broken\.md,line=4,col=1,.*pasted-session/m,
    );
  });

  it("lints with --format sarif: writes the report, hands it on, and leaves failing to the step after the upload", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "broken.md"), BROKEN);
    const r = runStep(step("Lint runbooks"), dir, {
      files: ".",
      format: "sarif",
    });
    expect(r.status).toBe(0);
    expect(r.output).toContain("sarif-file=runbook-lint.sarif");
    expect(r.output).toContain("status=1");
    const sarif = JSON.parse(
      readFileSync(path.join(dir, "runbook-lint.sarif"), "utf8"),
    ) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]?.results.map((x) => x.ruleId)).toContain(
      "pasted-session",
    );
    expect(step("Fail on lint errors").if).toContain(
      "steps.lint.outputs.status != '0'",
    );
  });

  it("rehearses the runbooks it is given against the machine's PostgreSQL", () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "---",
        "databases:",
        '  app: { url: "postgres://postgres@127.0.0.1:5432/postgres", sandbox: { cluster: main } }',
        "---",
        "# R",
        "## Ask",
        ":::check{db=app expect=2}",
        "```sql",
        "SELECT 1 + 1",
        "```",
        ":::",
      ),
    );
    const r = runStep(step("Rehearse runbooks"), dir, { rehearse: "r.md" });
    expect(r.stdout).toMatch(/✓ check 1: got "2"/);
    expect(r.status).toBe(0);
    expect(step("Rehearse runbooks").if).toBe("inputs.rehearse != ''");
  }, 240_000);
});

describe("the pre-commit hooks (.pre-commit-hooks.yaml)", () => {
  it("run the runbook command this package installs, on Markdown files, built by npm pack", () => {
    expect(hooks.map((h) => h.id)).toEqual([
      "runbook-lint",
      "runbook-lint-fix",
    ]);
    for (const hook of hooks) {
      expect(hook.language).toBe("node");
      expect(hook.types).toEqual(["markdown"]);
      expect(Object.keys(pkg.bin)).toContain(hook.entry.split(" ")[0]);
    }
    // pre-commit installs with npm pack, which runs prepare: dist/ must be built then and packed.
    expect(pkg.scripts["prepare"]).toBe("npm run build");
    expect(pkg.files).toContain("dist");
    expect(pkg.bin["runbook"]).toBe("dist/cli.js");
  });

  it("lint the files pre-commit passes: exit 1 on an error, 0 when clean", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "clean.md"), CLEAN);
    writeFileSync(path.join(dir, "broken.md"), BROKEN);
    const entry = (hooks[0]?.entry ?? "").split(" ").slice(1);
    const clean = spawnSync(process.execPath, [CLI, ...entry, "clean.md"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(clean.stdout).toBe("1 file, no problems\n");
    expect(clean.status).toBe(0);
    const both = spawnSync(
      process.execPath,
      [CLI, ...entry, "clean.md", "broken.md"],
      { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    expect(both.stdout).toContain("pasted-session");
    expect(both.status).toBe(1);
  });
});
