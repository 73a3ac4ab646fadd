import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { found, lintMarkdown, md } from "./lint-helpers.js";

// SPEC 5: a sh/bash block that is a pasted terminal session fails ("$: not found") or,
// with root prompts, is all comments and silently does nothing. The fixtures are
// modelled on real runbooks: a dump-and-checksum upgrade step, a helm install, a
// mail-queue inspection pasted with the user@host prompt, a "clear the data
// directory and retry" step pasted from a root shell.

const shellcheckInstalled = spawnSync("shellcheck", ["--version"]).status === 0;

describe("pasted-session", () => {
  it("makes a sh block of $ prompts with output among them one error, at its first prompt", async () => {
    const d = await lintMarkdown(
      md(
        "## Take a dump",
        "",
        "```sh",
        "$ pg_dumpall -U app > backup.sql",
        "$ sha256sum backup.sql",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  backup.sql",
        "$ postqueue -p",
        "-- 4 Kbytes in 2 Requests.",
        "```",
      ),
      { shellcheck: true },
    );
    expect(found(d)).toEqual(["4:1 error pasted-session"]);
    expect(d[0]?.message).toMatch(/pasted terminal session/);
    expect(d[0]?.message).toMatch(/```console/);
    expect(d[0]?.message).toMatch(/\$: not found/);
    expect(d[0]?.message).toMatch(/output among the commands \(lines 6, 8\)/);
  });

  it("says to remove the prompts when there is no output", async () => {
    const d = await lintMarkdown(
      md(
        "## Install the chart",
        "```bash",
        "$ helm repo update",
        "$ helm upgrade --install metrics ./chart \\",
        "    --namespace kube-system",
        "```",
      ),
    );
    expect(found(d)).toEqual(["3:1 error pasted-session"]);
    expect(d[0]?.message).toMatch(/remove the "\$ " prompts/);
  });

  it("knows user@host prompts and reads the commands after them, not the output, with shellcheck", async () => {
    const d = await lintMarkdown(
      md(
        "## Look at the queue",
        "```bash",
        "ops@mx1:~$ sudo postqueue -p",
        "-Queue ID-  --Size-- ----Arrival Time----",
        "-- 0 Kbytes in 1 Request.",
        "ops@mx1:~$ ls $(cat /etc/hostname)",
        "```",
      ),
      { shellcheck: true },
    );
    // The command after the prompt is still checked, at its place in the Markdown.
    expect(found(d)).toEqual([
      "3:1 error pasted-session",
      ...(shellcheckInstalled ? ["6:15 warning shellcheck/SC2046"] : []),
    ]);
  });

  it("makes a block of root-prompt commands, all comments to the shell, an error that says it runs nothing", async () => {
    const d = await lintMarkdown(
      md(
        "## Clear the database and retry",
        "",
        "```Shell",
        "# systemctl stop app-postgres",
        "# rm -rf /srv/app/postgres/data/*",
        "# systemctl start app-postgres",
        "```",
      ),
    );
    expect(found(d)).toEqual(["4:1 error pasted-session"]);
    expect(d[0]?.message).toMatch(/runs nothing/);
    expect(d[0]?.message).toMatch(/rm -rf/);
  });

  it("leaves alone comments, commented-out options, here-documents and console blocks", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        "```bash",
        "# stop the worker first",
        "systemctl stop app-worker",
        "```",
        "```bash",
        "# nothing to run here: the timer does it",
        "```",
        "```sh",
        "cat > /etc/motd <<'EOF'",
        "$ welcome to the database host",
        "EOF",
        "```",
        "```console",
        "$ echo hello",
        "hello",
        "```",
      ),
      { shellcheck: true },
    );
    expect(found(d)).toEqual([]);
  });

  it("knows zsh's % prompt", async () => {
    const d = await lintMarkdown(
      md(
        "## CRDs",
        "``` sh",
        "% kubectl get crds",
        "NAME                         CREATED AT",
        "backups.example.io           2024-01-01T00:00:00Z",
        "```",
      ),
    );
    expect(found(d)).toEqual(["3:1 error pasted-session"]);
  });

  it('treats "$ # comment" lines as commands of the session', async () => {
    const d = await lintMarkdown(
      md(
        "## Hold queue",
        "```bash",
        "$ # Release a held message",
        '$ sudo postsuper -H "$queue_id"',
        "```",
      ),
    );
    expect(found(d, "pasted-session")).toEqual(["3:1 error pasted-session"]);
  });
});

describe("assignments-only", () => {
  it("warns once about a block of bare assignments (an .env file labelled bash), instead of SC2034 on each line", async () => {
    const d = await lintMarkdown(
      md(
        "## Search settings",
        "```bash",
        "ES_ENABLED=true",
        "ES_HOST=localhost",
        "ES_PRESET= # single_node or cluster",
        "```",
      ),
      { shellcheck: true },
    );
    expect(found(d)).toEqual(["3:1 warning assignments-only"]);
    expect(d[0]?.message).toMatch(/\{file=PATH\}/);
  });

  it("leaves alone blocks that use or export what they set", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        "```bash",
        "export PGHOST=db1",
        "```",
        "```sh",
        "dir=/srv/app",
        'ls "$dir"',
        "```",
      ),
      { shellcheck: true },
    );
    expect(found(d)).toEqual([]);
  });
});

describe("variable-not-shared", () => {
  it('says where a value set for a later block is lost, and how to capture it, instead of "appears unused"', async () => {
    const d = await lintMarkdown(
      md(
        "## Find the pod",
        "```shell",
        "POD_IP=$(kubectl get pod db-1 --template '{{.status.podIP}}')",
        "```",
        "## Scrape it",
        "```shell",
        'curl -s "${POD_IP}:9187/metrics"',
        "```",
        "```sh",
        "host=$(hostname)",
        'echo "$host"',
        "```",
      ),
      { shellcheck: true },
    );
    expect(found(d)).toEqual(["3:1 warning variable-not-shared"]);
    expect(d[0]?.message).toMatch(/\{capture=POD_IP\}/);
    expect(d[0]?.message).toMatch(/line 7/);
  });

  it("is quiet when the later block sets the variable itself, or it is a param", async () => {
    const d = await lintMarkdown(
      md(
        "---",
        "params: { dir: { default: ./out } }",
        "---",
        "## A",
        "```sh",
        "dir=./x",
        "n=1",
        "```",
        "## B",
        "```sh",
        "n=2",
        'echo "$n $dir"',
        "```",
      ),
    );
    expect(found(d, "variable-not-shared")).toEqual([]);
  });
});
