import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import net from "node:net";
import { findPostgres, startSandbox } from "../../engine/sandbox/index.js";
import type { BenchContext, Figure } from "../figure.js";
import { time } from "../measure.js";

/** Sandbox: one more cluster ready to accept a connection, against a cold initdb + start + ready of the same version. */
export async function sandboxCluster(ctx: BenchContext): Promise<Figure> {
  const install = await findPostgres({ env: { ...process.env } });
  const runs = ctx.runs;
  // The template cache is warm after the first start (done by the warm-up run).
  const ours = await time(
    async () => {
      const s = await startSandbox({
        clusters: ["one"],
        env: { ...process.env },
        install,
      });
      await s.teardown();
    },
    { runs, warmup: 1 },
  );
  const asRoot = process.getuid?.() === 0;
  const floor = await time(async () => coldCluster(install.binDir, asRoot), {
    runs,
    warmup: 0,
  });
  const ratio = ours.median / floor.median;
  return {
    name: "sandbox: one more cluster ready to accept a connection",
    ours,
    floor,
    ratio,
    budget: "≤ 0.5× cold initdb + start",
    ok: ratio <= 0.5,
    notes: `PostgreSQL ${install.version}`,
  };
}

/** What a rehearsal would cost without the template: initdb, start, wait until it accepts a connection, stop. */
async function coldCluster(binDir: string, asRoot: boolean): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "runbook-bench-cold-"));
  const run = (cmd: string, args: string[]): void => {
    const argv = asRoot
      ? ["runuser", "-u", "postgres", "--", path.join(binDir, cmd), ...args]
      : [path.join(binDir, cmd), ...args];
    const r = spawnSync(argv[0] ?? "", argv.slice(1), { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`${cmd} failed`);
  };
  try {
    if (asRoot)
      chownSync(
        dir,
        Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })),
        Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })),
      );
    const data = path.join(dir, "data");
    const port = await freePort();
    run("initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    writeFileSync(path.join(dir, "unused"), "");
    run("pg_ctl", [
      "-D",
      data,
      "-l",
      path.join(dir, "log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      "-w",
      "start",
    ]);
    run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}
