import { Connections, type ResolvedDatabase } from "../actions/index.js";
import type { Runbook } from "../model/index.js";
import type { ResolvedParam } from "../params/index.js";
import {
  createRedactor,
  type Redactor,
  isSecretName,
} from "../secrets/index.js";
import type { Probe, ProbeState } from "./types.js";

/** Options of a preflight (see runPreflight). */
export interface PreflightOptions {
  readonly runbook: Runbook;
  /** The params, resolved: `--set`, the environment, defaults, answers to prompts. */
  readonly params: ReadonlyMap<string, ResolvedParam>;
  /** The caller's environment: what steps would inherit. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where `runbook` was started: the default working directory of a block. */
  readonly cwd: string;
  /** runbook runs as root: `user=` goes through runuser, else `sudo -n`. */
  readonly isRoot: boolean;
  readonly signal: AbortSignal;
  /** Told every probe as soon as it is known (to print it while the next one runs). */
  readonly onProbe?: (probe: Probe) => void;
  /** The value of RUNBOOK_RUN_ID for probes. @default `preflight-<time>` */
  readonly runId?: string;
}

/** What preflight learnt of a database it reached. */
export interface ReachedDatabase {
  readonly state: "reached";
  /** The connection is to database `postgres` of the same server: the runbook creates this one. */
  readonly standIn: boolean;
  /** The database's own URL (a secret: it may hold a password). */
  readonly url: string;
  readonly serverVersion: number;
  readonly serverVersionText: string;
  readonly role: RoleInfo;
}

export interface RoleInfo {
  readonly name: string;
  readonly superuser: boolean;
  readonly createdb: boolean;
  readonly createrole: boolean;
  readonly replication: boolean;
}

export type DatabaseState =
  ReachedDatabase | { readonly state: "unreached"; readonly why: string };

/** The programs found at one place. */
export interface PlaceState {
  readonly reached: boolean;
  readonly why?: string;
  /** Program → first line of `--version`. */
  readonly versions: ReadonlyMap<string, string>;
}

/**
 * A preflight's state: the variables it knows (params, sentinels, and the
 * values its probes capture), every secret to mask, the connections it
 * opened, and what each probe found out for the next ones.
 */
export class PreflightContext {
  readonly vars = new Map<string, string>();
  readonly probes: Probe[] = [];
  readonly databases = new Map<string, DatabaseState>();
  /** Host name → its ssh target, for hosts that answered. */
  readonly hosts = new Map<string, string>();
  /** Host name → why it was not reached. */
  readonly unreachedHosts = new Map<string, string>();
  readonly places = new Map<string, PlaceState>();
  readonly connections: Connections;
  readonly runId: string;
  private readonly urls = new Map<string, ResolvedDatabase>();
  private readonly secretValues = new Set<string>();
  private redactor: Redactor | undefined;
  private readonly secretParams: ReadonlySet<string>;

  constructor(readonly options: PreflightOptions) {
    this.secretParams = new Set(
      options.runbook.params.filter((p) => p.secret).map((p) => p.name),
    );
    this.connections = new Connections((db) => {
      const r = this.urls.get(db);
      if (!r) throw new Error(`database "${db}" is not resolved`);
      return r;
    });
    this.runId =
      options.runId ??
      `preflight-${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "")}`;
  }

  get runbook(): Runbook {
    return this.options.runbook;
  }

  isSecret(name: string): boolean {
    return this.secretParams.has(name) || isSecretName(name);
  }

  /** Sets a variable; a secret's value is masked from then on. */
  set(name: string, value: string, secret = this.isSecret(name)): void {
    this.vars.set(name, value);
    if (secret) this.addSecret(value);
  }

  addSecret(value: string): void {
    if (value === "" || this.secretValues.has(value)) return;
    this.secretValues.add(value);
    this.redactor = undefined;
  }

  get secrets(): readonly string[] {
    return [...this.secretValues];
  }

  redact(text: string): string {
    this.redactor ??= createRedactor([...this.secretValues]);
    return this.redactor.redact(text);
  }

  /** `${name}`: the preflight's variables, then the environment. */
  lookup = (name: string): string | undefined =>
    this.vars.get(name) ?? this.options.env[name];

  /** Where a database's connections go (its URL, or `postgres` of its server). */
  useDatabase(db: string, url: string, shown: string): void {
    this.urls.set(db, { name: db, url, shown });
  }

  /** The environment of a local probe: the caller's, the run's variables, RUNBOOK_*. */
  env(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.options.env))
      if (v !== undefined) env[k] = v;
    env["PGCONNECT_TIMEOUT"] ??= "10";
    env["PSQL_HISTORY"] = "/dev/null";
    for (const [k, v] of this.vars) env[k] = v;
    Object.assign(env, this.runbookEnv());
    return Object.assign(env, extra);
  }

  /** The variables a remote probe gets (as a run's remote script does): the run's variables and RUNBOOK_*. */
  remoteVars(
    extra: Readonly<Record<string, string>> = {},
  ): Record<string, string> {
    return { ...Object.fromEntries(this.vars), ...this.runbookEnv(), ...extra };
  }

  private runbookEnv(): Record<string, string> {
    return {
      RUNBOOK_RUN_ID: this.runId,
      RUNBOOK_FILE: this.runbook.file,
      RUNBOOK_MODE: "live",
      RUNBOOK_PREFLIGHT: "1",
    };
  }

  /** Records a probe, every text masked, and tells the caller. */
  emit(probe: Probe): void {
    const masked: Probe = {
      ...probe,
      subject: this.redact(probe.subject),
      why: this.redact(oneLine(probe.why)),
      ...(probe.fix !== undefined
        ? { fix: this.redact(oneLine(probe.fix)) }
        : {}),
    };
    this.probes.push(masked);
    this.options.onProbe?.(masked);
  }

  counts(): Record<ProbeState, number> {
    const counts: Record<ProbeState, number> = {
      pass: 0,
      fail: 0,
      pending: 0,
      skip: 0,
    };
    for (const p of this.probes) counts[p.state]++;
    return counts;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
