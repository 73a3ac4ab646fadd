import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, onTestFinished, test } from "vitest";
import { SandboxError, findPostgres } from "../../../engine/sandbox/index.js";
import { env, makeTempDir } from "./helpers.js";

/** A fake `<root>/<release>/bin` whose postgres prints `version`, with or without initdb. */
function fakeRelease(
  root: string,
  release: string,
  options: { version: string; initdb: boolean },
): string {
  const binDir = join(root, release, "bin");
  mkdirSync(binDir, { recursive: true });
  const postgres = join(binDir, "postgres");
  writeFileSync(
    postgres,
    `#!/bin/sh\necho "postgres (PostgreSQL) ${options.version}"\n`,
  );
  chmodSync(postgres, 0o755);
  if (options.initdb) {
    writeFileSync(join(binDir, "initdb"), "#!/bin/sh\nexit 0\n");
    chmodSync(join(binDir, "initdb"), 0o755);
  }
  return binDir;
}

describe("findPostgres", () => {
  test("finds the installed server through pg_config on PATH", async () => {
    const install = await findPostgres({ env });
    expect(existsSync(join(install.binDir, "initdb"))).toBe(true);
    expect(existsSync(join(install.binDir, "postgres"))).toBe(true);
    expect(install.version).toMatch(/^\d+(\.\d+)*$/);
    expect(install.version.startsWith(`${install.major}`)).toBe(true);
    expect(install.major).toBeGreaterThanOrEqual(13);
  });

  test("takes the highest release under a search root that has initdb", async () => {
    const root = makeTempDir("pg-root");
    onTestFinished(root.remove);
    fakeRelease(root.path, "9.6", { version: "9.6.24", initdb: true });
    const thirteen = fakeRelease(root.path, "13", {
      version: "13.4",
      initdb: true,
    });
    fakeRelease(root.path, "16", { version: "16.2", initdb: false });
    mkdirSync(join(root.path, "not-a-release", "bin"), { recursive: true });

    const install = await findPostgres({
      env: { PATH: "" },
      searchRoots: [join(root.path, "missing"), root.path],
    });

    expect(install).toEqual({
      binDir: thirteen,
      version: "13.4",
      major: 13,
      source: "system",
    });
  });

  test("falls back to initdb on PATH", async () => {
    const root = makeTempDir("pg-path");
    onTestFinished(root.remove);
    const binDir = fakeRelease(root.path, "opt", {
      version: "17beta1",
      initdb: true,
    });

    const install = await findPostgres({
      env: { PATH: `relative/dir:${binDir}` },
      searchRoots: [],
    });

    expect(install).toEqual({
      binDir,
      version: "17",
      major: 17,
      source: "system",
    });
  });

  test("RUNBOOK_POSTGRES_DIRS replaces the system places; with no server there, it takes the one shipped on npm", async () => {
    const root = makeTempDir("pg-npm");
    onTestFinished(root.remove);
    const empty = join(root.path, "empty");
    mkdirSync(empty);
    const npm = fakeRelease(root.path, "npm", {
      version: "15.18",
      initdb: true,
    });
    const own = fakeRelease(root.path, "own", {
      version: "16.4",
      initdb: true,
    });

    // The real PATH has a server (pg_config, initdb): the variable hides it.
    expect(
      await findPostgres({
        env: { ...env, RUNBOOK_POSTGRES_DIRS: empty },
        embedded: [npm],
      }),
    ).toEqual({ binDir: npm, version: "15.18", major: 15, source: "npm" });
    expect(
      await findPostgres({
        env: { ...env, RUNBOOK_POSTGRES_DIRS: `${empty}:${own}` },
        embedded: [npm],
      }),
    ).toEqual({ binDir: own, version: "16.4", major: 16, source: "system" });
    const error = await findPostgres({
      env: { ...env, RUNBOOK_POSTGRES_DIRS: empty },
    }).catch((caught: unknown) => caught);
    expect((error as SandboxError).message).toContain(
      `searched RUNBOOK_POSTGRES_DIRS (${empty}), and no server shipped on npm is installed`,
    );
  });

  test("says what it searched and how to install PostgreSQL when nothing is found", async () => {
    const empty = makeTempDir("pg-none");
    onTestFinished(empty.remove);

    const error = await findPostgres({
      env: { PATH: "" },
      searchRoots: [empty.path],
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SandboxError);
    const message = (error as SandboxError).message;
    expect(message).not.toContain("\n");
    expect(message).toContain("pg_config --bindir");
    expect(message).toContain(join(empty.path, "*", "bin"));
    expect(message).toContain("initdb on PATH (PATH is empty)");
    expect(message).toContain("apt-get install postgresql");
  });
});
