/**
 * `runbook preflight` changes nothing (issue 16, SPEC 3): every runbook of
 * the library, run through the built CLI as an operator would the night
 * before, against live-like sandbox clusters (each on its own loopback
 * address at port 5432, passwords in a pgpass file) and a real sshd for its
 * `on=` hosts. A pg_dumpall of every cluster (with its slots, settings and
 * configuration files) and a listing of every file the runbook would touch
 * are identical before and after.
 */
import { interpolate } from "../../engine/model/index.js";
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRunbookFile } from "../../engine/parse/index.js";
import { startSandbox, type Sandbox } from "../../engine/sandbox/index.js";
import { liveLike, snapshot } from "../engine/preflight/live-like.js";
import { sshdUnavailable, startSshd, type TestSshd } from "../helpers/sshd.js";
import { assertBuilt, CLI, cleanEnv, ROOT } from "../runbooks/cli.js";

interface LibraryCase {
  readonly file: string;
  /** Sandbox cluster → the loopback address it answers on (port 5432). */
  readonly addresses: Readonly<Record<string, string>>;
  /** The params an operator would pass; `dir` is where the runbook's own directories go. */
  readonly set: (o: {
    dir: string;
    secret: string;
    sandbox: Sandbox;
  }) => Record<string, string>;
  /** The state production is in before the run (what a rehearsal sets up in its only=rehearsal blocks). */
  readonly setup?: (o: {
    sandbox: Sandbox;
    set: Record<string, string>;
  }) => string;
}

const CASES: readonly LibraryCase[] = [
  {
    file: "runbooks/logical-backup-with-proof.md",
    addresses: { main: "127.0.0.71" },
    set: ({ dir }) => ({
      db_host: "127.0.0.71",
      app_db: "synapse",
      backup_dir: `${dir}/backups`,
    }),
  },
  {
    file: "runbooks/logical-replication-cutover.md",
    addresses: { old: "127.0.0.72", new: "127.0.0.73" },
    set: ({ dir, secret }) => ({
      old_host: "127.0.0.72",
      new_host: "127.0.0.73",
      new_cidr: "127.0.0.1/32",
      app_db: "figgy_production",
      app_user: "figgy",
      app_password: `${secret}-app`,
      repl_password: `${secret}-repl`,
      work_dir: `${dir}/cutover`,
    }),
    setup: ({ set }) =>
      `ALTER ROLE figgy PASSWORD '${set["app_password"] ?? ""}';`,
  },
  {
    file: "runbooks/major-upgrade-dump-restore.md",
    addresses: { old: "127.0.0.74", new: "127.0.0.75" },
    set: ({ dir }) => ({
      old_host: "127.0.0.74",
      new_host: "127.0.0.75",
      target_major: "15",
      sentinel_db: "site",
      work_dir: `${dir}/upgrade`,
      new_dump_dir: `${dir}/new-dump`,
    }),
  },
  {
    file: "runbooks/move-off-hosted.md",
    addresses: { hosted: "127.0.0.80", primary: "127.0.0.76" },
    set: ({ dir, secret, sandbox }) => ({
      source_url: `postgres://postgres:${encodeURIComponent(sandbox.clusters.get("hosted")?.password ?? "")}@127.0.0.80:5432/shop_prod`,
      primary_host: "127.0.0.76",
      app_user: "shop",
      app_db: "shop",
      app_password: `${secret}-move`,
      new_app_password: `${secret}-new`,
      app_network: "127.0.0.1/32",
      work_dir: `${dir}/move`,
    }),
  },
  {
    file: "runbooks/restore-drill.md",
    addresses: { primary: "127.0.0.77" },
    set: ({ dir }) => ({
      primary_host: "127.0.0.77",
      app_db: "ledger",
      drill_dir: `${dir}/drill`,
    }),
  },
  {
    file: "runbooks/streaming-replica.md",
    addresses: { primary: "127.0.0.78", replica: "127.0.0.79" },
    set: ({ dir, secret }) => ({
      primary_host: "127.0.0.78",
      replica_host: "127.0.0.79",
      replica_cidr: "127.0.0.1/32",
      replica_name: "server_postgres_2",
      app_db: "inventory",
      repl_password: `${secret}-stream`,
      live_pgdata: `${dir}/replica-data`,
    }),
  },
];

let sshd: TestSshd | undefined;
const noSshd = sshdUnavailable();
const summary: string[] = [];

beforeAll(async () => {
  assertBuilt();
  if (noSshd)
    console.warn(
      `preflight library test: NO REAL SSHD (${noSshd}); on= hosts are probed against nothing`,
    );
  else {
    sshd = await startSshd();
    for (const c of CASES)
      for (const address of Object.values(c.addresses)) sshd.alias(address);
  }
});

afterAll(() => {
  sshd?.stop();
  if (summary.length > 0)
    console.log(
      `preflight of the library against live-like clusters:\n${summary.join("\n")}`,
    );
});

describe("runbook preflight changes nothing", () => {
  it.each(CASES)(
    "$file",
    async (c) => {
      const runbook = parseRunbookFile(path.join(ROOT, c.file)).runbook;
      const clusters = [
        ...new Set(
          runbook.databases.flatMap((d) =>
            d.sandbox ? [d.sandbox.cluster] : [],
          ),
        ),
      ];
      const scratch = mkdtempSync(path.join(tmpdir(), "runbook-preflight-"));
      chmodSync(scratch, 0o755);
      const work = path.join(scratch, "work");
      const dir = path.join(scratch, "files");
      mkdirSync(work);
      mkdirSync(dir);
      const sandbox = await startSandbox({ clusters, env: { ...process.env } });
      let relay: Awaited<ReturnType<typeof liveLike>> | undefined;
      try {
        const secret = `pf-${Math.random().toString(36).slice(2)}-secret`;
        const set = c.set({ dir, secret, sandbox });
        for (const db of runbook.databases) {
          if (!db.sandbox?.seed) continue;
          const url = interpolate(
            db.url,
            (n) => set[n] ?? runbook.params.find((p) => p.name === n)?.default,
          );
          const database =
            decodeURIComponent(new URL(url.text).pathname.slice(1)) ||
            "postgres";
          await sandbox.loadSeed({
            cluster: db.sandbox.cluster,
            database,
            file: path.resolve(runbook.dir, db.sandbox.seed),
          });
        }
        const setup = c.setup?.({ sandbox, set });
        if (setup)
          for (const cluster of sandbox.clusters.values())
            if (cluster.name === "old") await sql(sandbox, cluster.name, setup);
        relay = await liveLike({
          sandbox,
          addresses: c.addresses,
          dir: scratch,
        });
        const touched = [
          dir,
          work,
          path.join(ROOT, c.file),
          ...(sshd ? [sshd.knownHosts] : []),
        ];
        const before = snapshot({ sandbox, paths: touched });

        const args = [
          "preflight",
          path.join(ROOT, c.file),
          ...Object.entries(set).flatMap(([k, v]) => ["--set", `${k}=${v}`]),
        ];
        const env = {
          ...cleanEnv(),
          PGPASSFILE: relay.pgpass,
          PATH: `${sshd ? `${sshd.binDir}:` : ""}${process.env["PATH"] ?? ""}`,
        };
        const text = await runCli(args, { cwd: work, env });
        const json = await runCli([...args, "--json"], { cwd: work, env });

        const after = snapshot({ sandbox, paths: touched });
        expect(after, "preflight changed something").toBe(before);

        expect([0, 1], `exit ${text.code}:\n${text.output}`).toContain(
          text.code,
        );
        expect(json.code).toBe(text.code);
        const report = JSON.parse(json.stdout) as {
          ok: boolean;
          counts: Record<string, number>;
          probes: {
            kind: string;
            state: string;
            subject: string;
            why: string;
          }[];
          prefix: { steps: string[] };
        };
        expect(report.ok).toBe(text.code === 0);
        const secrets = [...sandbox.clusters.values()]
          .map((cl) => cl.password)
          .concat(
            Object.entries(set)
              .filter(([k]) => /password|secret|token|key|url/.test(k))
              .map(([, v]) => v),
          );
        for (const s of secrets) {
          expect(text.output).not.toContain(s);
          expect(json.stdout).not.toContain(s);
        }
        // Every database this runbook reaches before the run is probed, and the probes of its own text ran.
        expect(
          report.probes.some(
            (p) => p.kind === "database" && p.state === "pass",
          ),
        ).toBe(true);
        expect(
          report.probes.some(
            (p) =>
              (p.kind === "block" || p.kind === "check") && p.state === "pass",
          ),
        ).toBe(true);
        const failed = report.probes
          .filter((p) => p.state === "fail")
          .map((p) => `${p.subject}: ${p.why}`);
        if (process.env["RUNBOOK_SHOW_PREFLIGHT"]) summary.push(text.output);
        summary.push(
          `  ${c.file}: exit ${text.code}, ${report.probes.length} probes (${Object.entries(
            report.counts,
          )
            .map(([k, v]) => `${v} ${k}`)
            .join(
              ", ",
            )}), mutations seen: 0${failed.length ? `\n    failed: ${failed.join("\n    failed: ")}` : ""}`,
        );
      } finally {
        await relay?.close();
        await sandbox.teardown();
        rmSync(scratch, { recursive: true, force: true });
      }
    },
    180_000,
  );
});

async function sql(
  sandbox: Sandbox,
  cluster: string,
  text: string,
): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({
    connectionString: sandbox.clusters.get(cluster)?.url(),
  });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function runCli(
  args: readonly string[],
  o: { cwd: string; env: Record<string, string> },
): Promise<{ code: number | null; stdout: string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: o.cwd,
      env: o.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, output });
    });
  });
}
