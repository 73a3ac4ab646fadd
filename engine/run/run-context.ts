import { interpolate } from "../model/index.js";
import { Connections, type ResolvedDatabase } from "../actions/index.js";
import type { Runbook } from "../model/index.js";
import { RunbookError } from "../model/index.js";
import { maskUrl, resolveUrl } from "../params/index.js";
import {
  createRedactor,
  type Redactor,
  isSecretName,
} from "../secrets/index.js";

/** A throwaway cluster standing in for the databases that name it (SPEC 1.1 `sandbox:`). */
export interface SandboxCluster {
  readonly host: string;
  readonly port: number;
  readonly password: string;
}

export interface SandboxBinding {
  readonly clusters: ReadonlyMap<string, SandboxCluster>;
  /** Added to every step's environment (PATH first, RUNBOOK_CLUSTER_*). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The run's variables and secrets: params, sentinels and captures, every
 * value to mask, the environment children get, and where each database is.
 */
export class RunContext {
  readonly vars = new Map<string, string>();
  private readonly secretSet = new Set<string>();
  private secretList: readonly string[] = [];
  private redactor: Redactor | undefined;
  private readonly secretNames: ReadonlySet<string>;
  readonly connections: Connections;
  /** The database a sql block without db= uses: the only one declared. */
  readonly soleDatabase: string | undefined;
  /** Names `db=` may give. */
  readonly databaseNames: ReadonlySet<string>;
  /** Names `on=` may give. */
  readonly hostNames: ReadonlySet<string>;

  constructor(
    private readonly runbook: Runbook,
    private readonly baseEnv: Readonly<Record<string, string | undefined>>,
    private readonly sandbox: SandboxBinding | undefined,
  ) {
    this.connections = new Connections((db) => this.resolveDatabase(db));
    this.secretNames = new Set(
      runbook.params.filter((p) => p.secret).map((p) => p.name),
    );
    this.soleDatabase =
      runbook.databases.length === 1 ? runbook.databases[0]?.name : undefined;
    this.databaseNames = new Set(runbook.databases.map((d) => d.name));
    this.hostNames = new Set(runbook.hosts.map((h) => h.name));
  }

  /** A declared secret param, or a name that says it is one (SPEC 1.1). */
  isSecret(name: string): boolean {
    return this.secretNames.has(name) || isSecretName(name);
  }

  /** `text` with every secret masked. */
  redact(text: string): string {
    this.redactor ??= createRedactor(this.secretList);
    return this.redactor.redact(text);
  }

  /** Sets a variable; a secret value is masked from then on. */
  set(name: string, value: string, secret = this.isSecret(name)): void {
    this.vars.set(name, value);
    if (secret) this.addSecret(value);
  }

  addSecret(value: string): void {
    if (value === "" || this.secretSet.has(value)) return;
    this.secretSet.add(value);
    this.secretList = [...this.secretSet];
    this.redactor = undefined;
  }

  get secrets(): readonly string[] {
    return this.secretList;
  }

  /** `${name}` lookup: run variables first, then the environment. */
  lookup = (name: string): string | undefined =>
    this.vars.get(name) ?? this.baseEnv[name];

  /** The environment of a step's processes. */
  env(extra: Readonly<Record<string, string>>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.baseEnv))
      if (v !== undefined) env[k] = v;
    // Nothing a step runs may stop to ask for a password or keep a history of what it typed.
    env["PGCONNECT_TIMEOUT"] ??= "10";
    env["PSQL_HISTORY"] = "/dev/null";
    if (this.sandbox) {
      for (const [k, v] of Object.entries(this.sandbox.env))
        env[k] = k === "PATH" ? `${v}:${env["PATH"] ?? ""}` : v;
    }
    for (const [k, v] of this.vars) env[k] = v;
    return Object.assign(env, extra);
  }

  host(name: string): string {
    const host = this.runbook.hosts.find((h) => h.name === name);
    if (!host)
      throw new RunbookError("RUNBOOK_INVALID", `unknown host "${name}"`);
    const r = interpolate(host.ssh, this.lookup);
    if (r.missing.length > 0)
      throw new RunbookError(
        "STEP_FAILED",
        `host "${name}": \${${r.missing[0]}} is not defined`,
      );
    return r.text;
  }

  /**
   * Where a database is, resolved when a step first uses it (so its URL may
   * name a captured variable). In a rehearsal, host and port point at its
   * cluster; user, password and database name are kept (SPEC 1.1).
   */
  resolveDatabase(name: string): ResolvedDatabase {
    const db = this.runbook.databases.find((d) => d.name === name);
    if (!db)
      throw new RunbookError("RUNBOOK_INVALID", `unknown database "${name}"`);
    // A value that goes into the URL's user or password is percent-encoded (SPEC 1.1).
    const r = resolveUrl(db.url, this.lookup);
    const cluster = db.sandbox
      ? this.sandbox?.clusters.get(db.sandbox.cluster)
      : undefined;
    let url: string;
    if (cluster)
      url = sandboxUrl(r.missing.length === 0 ? r.text : undefined, cluster);
    else if (r.missing.length > 0)
      throw new RunbookError(
        "STEP_FAILED",
        `database "${name}": \${${r.missing.join("}, ${")}} is not defined (its URL is ${db.url})`,
      );
    else url = r.text;
    // The password as the URL holds it and as the driver reads it (decoded): both are masked from now on.
    for (const form of passwordForms(url)) this.addSecret(form);
    return { name, url, shown: maskUrl(url) };
  }
}

/** A database URL pointed at a sandbox cluster: host and port replaced, user, password and database kept. */
export function sandboxUrl(
  url: string | undefined,
  cluster: SandboxCluster,
): string {
  let u: URL | undefined;
  try {
    u = url ? new URL(url) : undefined;
  } catch {
    u = undefined;
  }
  const out = new URL(`postgres://${cluster.host}:${cluster.port}/postgres`);
  out.username = u?.username || "postgres";
  out.password = u?.password || encodeURIComponent(cluster.password);
  const dbName = u ? decodeURIComponent(u.pathname.replace(/^\//, "")) : "";
  out.pathname = `/${encodeURIComponent(dbName || "postgres")}`;
  u?.searchParams.forEach((v, k) => {
    if (k !== "sslmode" && k !== "host" && k !== "port")
      out.searchParams.set(k, v);
  });
  return out.toString();
}

/** A URL's password as written in it (percent-encoded) and decoded. */
function passwordForms(url: string): string[] {
  let written: string;
  try {
    written = new URL(url).password;
  } catch {
    return [];
  }
  if (!written) return [];
  try {
    return [written, decodeURIComponent(written)];
  } catch {
    return [written];
  }
}
