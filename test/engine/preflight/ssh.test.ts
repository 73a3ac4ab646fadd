/**
 * Preflight's ssh probe against a real sshd (issue 16): batch mode, so a
 * host key question or a refused key is a failure with what to do; known_hosts
 * is never written; programs are looked up on the host, also as another user.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveParams } from "../../../engine/params/index.js";
import { runPreflight, type Probe } from "../../../engine/preflight/index.js";
import { md, parse } from "../../helpers/parse.js";
import { tempDir } from "../../helpers/temp.js";
import {
  sshdUnavailable,
  startSshd,
  type TestSshd,
} from "../../helpers/sshd.js";
import { requireThat } from "../../helpers/require.js";

const unavailable = sshdUnavailable();
if (unavailable)
  console.warn(`SKIPPING the real-sshd preflight tests: ${unavailable}`);
let sshd: TestSshd | undefined;

beforeAll(async () => {
  if (unavailable) return;
  sshd = await startSshd();
  sshd.alias("db-good");
  sshd.alias("db-unknown", { hostKey: "unknown" });
  sshd.alias("db-stranger", { key: "stranger" });
});

afterAll(() => sshd?.stop());

async function preflight(body: string): Promise<Probe[]> {
  const { runbook, diagnostics } = parse(
    md(
      "---",
      "hosts:",
      '  good: { ssh: "db-good" }',
      '  unknown: { ssh: "root@db-unknown" }',
      '  stranger: { ssh: "root@db-stranger" }',
      "---",
    ) + body,
  );
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const r = await runPreflight({
    runbook,
    params: resolveParams(runbook, { set: {}, env: {}, mode: "live" }).values,
    env: sshd?.env() ?? {},
    cwd: tempDir(),
    isRoot: process.getuid?.() === 0,
    signal: new AbortController().signal,
  });
  return [...r.probes];
}

describe("preflight over real ssh", () => {
  beforeAll(() =>
    requireThat(
      unavailable === undefined,
      `a real sshd and root (.ci/run installs openssh-server): ${unavailable ?? ""}`,
    ),
  );
  it("reaches a host through its ssh_config alias, and finds what is missing there", async () => {
    const probes = await preflight(
      md(
        "## Remote",
        "```sh {on=good}",
        "uname -r",
        "no-such-tool-4242 --now",
        "```",
        "```sh {on=good user=nobody}",
        "id -un",
        "```",
        "```sh {on=good probe capture=where}",
        'echo "$RUNBOOK_PREFLIGHT on $(uname -n)"',
        "```",
      ),
    );
    const by = (s: string) => probes.find((p) => p.subject === s);
    expect(by("host good")).toMatchObject({
      state: "pass",
      why: expect.stringMatching(/^ssh db-good answers in batch mode: root@/),
    });
    expect(by("programs on host good")).toMatchObject({
      state: "fail",
      why: expect.stringMatching(
        /not found: no-such-tool-4242 \(step remote\); found: uname/,
      ),
      fix: "install no-such-tool-4242 on host good, or put it on the PATH a step gets there",
    });
    expect(by("programs on host good as nobody")).toMatchObject({
      state: "pass",
      why: "id",
    });
    expect(probes.find((p) => p.kind === "block")).toMatchObject({
      state: "pass",
      why: expect.stringMatching(/^where = "1 on /),
    });
  });

  it("an unknown host key is a failure with what to do, and known_hosts stays as it was", async () => {
    const before = readFileSync(
      path.join(sshd?.dir ?? "", "known_hosts_empty"),
      "utf8",
    );
    const probes = await preflight(
      md("## Remote", "```sh {on=unknown}", "uname -r", "```"),
    );
    expect(probes.find((p) => p.subject === "host unknown")).toMatchObject({
      state: "fail",
      why: expect.stringMatching(
        /the host key of db-unknown is not in known_hosts: a run would stop at the question/,
      ),
      fix: expect.stringMatching(
        /compare the key's fingerprint .* connect once with ssh root@db-unknown/,
      ),
    });
    expect(
      probes.find((p) => p.subject === "programs on host unknown"),
    ).toMatchObject({ state: "skip" });
    expect(
      readFileSync(path.join(sshd?.dir ?? "", "known_hosts_empty"), "utf8"),
    ).toBe(before);
  });

  it("a host that refuses the key is a failure with what to do", async () => {
    const probes = await preflight(
      md("## Remote", "```sh {on=stranger}", "true", "```"),
    );
    expect(probes.find((p) => p.subject === "host stranger")).toMatchObject({
      state: "fail",
      why: expect.stringMatching(
        /root@db-stranger refused this machine's keys \(it accepts: publickey\)/,
      ),
      fix: expect.stringMatching(/ssh-copy-id root@db-stranger/),
    });
  });
});
