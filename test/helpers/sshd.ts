import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A real OpenSSH server on a free port of 127.0.0.1, with a generated host
 * key and a generated user key, reached through a generated ssh_config
 * (never the machine's own): tests put `binDir` first on PATH, where an
 * `ssh` wrapper runs the system client with `-F` that config, and point
 * HOME at `clientHome` (see `env`), so nothing of the machine's ~/.ssh is
 * read. On the server side, sessions get HOME=`serverHome` (sshd's SetEnv):
 * the login shell never sources the machine's own ~/.bashrc, which may be
 * slow (a pyenv init costs seconds a connection) or print things.
 */
export interface TestSshd {
  readonly dir: string;
  readonly port: number;
  /** Holds `ssh`, which calls the system's with the generated config. */
  readonly binDir: string;
  /** An empty HOME for the ssh client. */
  readonly clientHome: string;
  /** HOME of every session on the server. */
  readonly serverHome: string;
  /** The environment a test gives runbook: `binDir` first on PATH, HOME=`clientHome`. */
  env(): Record<string, string>;
  /** known_hosts holding the server's key. */
  readonly knownHosts: string;
  /**
   * Adds a `Host` alias: `name` reaches this server as root (or `user`). `hostKey`
   * `unknown` gives it an empty known_hosts; `key` `stranger` offers a key
   * the server does not accept.
   */
  alias(
    name: string,
    o?: {
      hostKey?: "known" | "unknown";
      key?: "authorized" | "stranger";
      user?: string;
    },
  ): void;
  /** Lets the OS user `user` log in with the generated user key (root always may). */
  authorize(user: string): void;
  stop(): void;
}

const SSHD = "/usr/sbin/sshd";

/** Why a real sshd cannot run here, or undefined. */
export function sshdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0)
    return "not root: the test sshd logs in as root";
  if (!existsSync(SSHD)) return `no ${SSHD}: install openssh-server`;
  if (spawnSync("ssh", ["-V"]).error)
    return "no ssh client: install openssh-client";
  return undefined;
}

export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(path.join(tmpdir(), "runbook-sshd-"));
  // Traversable, not listable: sshd reads a user's authorized keys as that user (keys/%u).
  chmodSync(dir, 0o711);
  mkdirSync(path.join(dir, "keys"), { mode: 0o755 });
  const keygen = (file: string): void => {
    const r = spawnSync("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      "runbook-test",
      "-f",
      file,
    ]);
    if (r.status !== 0)
      throw new Error(`ssh-keygen failed: ${r.stderr.toString()}`);
  };
  keygen(path.join(dir, "host_key"));
  keygen(path.join(dir, "id_user"));
  keygen(path.join(dir, "id_stranger"));
  copyFileSync(
    path.join(dir, "id_user.pub"),
    path.join(dir, "authorized_keys"),
  );
  // sshd refuses to start without its privilege separation directory (openssh-server's package makes it).
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const port = await freePort();
  const clientHome = path.join(dir, "client-home");
  const serverHome = path.join(dir, "server-home");
  mkdirSync(clientHome, { mode: 0o755 });
  mkdirSync(serverHome, { mode: 0o755 });
  writeFileSync(
    path.join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys ${dir}/keys/%u`,
      "StrictModes no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "UsePAM no",
      "LogLevel ERROR",
      `SetEnv HOME=${serverHome}`,
      "",
    ].join("\n"),
  );
  const knownHosts = path.join(dir, "known_hosts");
  const hostKey = readFileSync(path.join(dir, "host_key.pub"), "utf8")
    .split(" ")
    .slice(0, 2)
    .join(" ");
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey}\n`);
  writeFileSync(path.join(dir, "known_hosts_empty"), "");
  const config = path.join(dir, "ssh_config");
  writeFileSync(config, "");
  const binDir = path.join(dir, "bin");
  mkdirSync(binDir);
  writeFileSync(
    path.join(binDir, "ssh"),
    `#!/bin/sh\nexec /usr/bin/ssh -F '${config}' "$@"\n`,
    { mode: 0o755 },
  );

  const child: ChildProcess = spawn(
    SSHD,
    [
      "-D",
      "-f",
      path.join(dir, "sshd_config"),
      "-E",
      path.join(dir, "sshd.log"),
    ],
    { stdio: "ignore" },
  );
  await waitForPort(port, child);
  return {
    dir,
    port,
    binDir,
    clientHome,
    serverHome,
    knownHosts,
    env: () => ({
      PATH: `${binDir}:${process.env["PATH"] ?? ""}`,
      HOME: clientHome,
    }),
    alias(name, o = {}) {
      appendFileSync(
        config,
        [
          `Host ${name}`,
          "  HostName 127.0.0.1",
          `  Port ${port}`,
          `  User ${o.user ?? "root"}`,
          `  IdentityFile ${dir}/${o.key === "stranger" ? "id_stranger" : "id_user"}`,
          "  IdentitiesOnly yes",
          `  UserKnownHostsFile ${o.hostKey === "unknown" ? `${dir}/known_hosts_empty` : knownHosts}`,
          "  GlobalKnownHostsFile /dev/null",
          "",
        ].join("\n"),
      );
    },
    authorize(user) {
      copyFileSync(path.join(dir, "id_user.pub"), path.join(dir, "keys", user));
      chmodSync(path.join(dir, "keys", user), 0o644);
    },
    stop() {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
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

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`sshd exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("sshd did not start listening within 10 s");
}
