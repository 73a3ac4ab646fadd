/** A running throwaway PostgreSQL server. */
export interface Cluster {
  /** The `sandbox.cluster` name from the runbook. */
  readonly name: string;
  readonly host: "127.0.0.1";
  readonly port: number;
  /** The superuser, which host connections authenticate as with `password`. */
  readonly user: "postgres";
  /** Generated per cluster; a secret, never enumerable (JSON.stringify leaves it out). */
  readonly password: string;
  /** PGDATA. */
  readonly dataDir: string;
  /** The private unix socket directory, where connections are trusted. */
  readonly socketDir: string;
  /** Directory of the PostgreSQL programs that run it. */
  readonly binDir: string;
  /** The OS user the server runs as. */
  readonly osUser: string;
  /** The server's stderr. */
  readonly logFile: string;
  /**
   * `postgres://postgres:<password>@127.0.0.1:<port>/<database>`, encoded.
   * @param database @default 'postgres'
   */
  url(database?: string): string;
}

export interface ClusterInit {
  name: string;
  port: number;
  password: string;
  dataDir: string;
  socketDir: string;
  binDir: string;
  osUser: string;
  logFile: string;
}

/** A {@link Cluster} that keeps its password out of enumeration, logging and JSON. */
export class SandboxCluster implements Cluster {
  readonly name: string;
  readonly host = "127.0.0.1" as const;
  readonly port: number;
  readonly user = "postgres" as const;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly binDir: string;
  readonly osUser: string;
  readonly logFile: string;
  readonly #password: string;

  constructor(init: ClusterInit) {
    this.name = init.name;
    this.port = init.port;
    this.#password = init.password;
    this.dataDir = init.dataDir;
    this.socketDir = init.socketDir;
    this.binDir = init.binDir;
    this.osUser = init.osUser;
    this.logFile = init.logFile;
  }

  get password(): string {
    return this.#password;
  }

  url(database = "postgres"): string {
    return `postgres://${this.user}:${encodeURIComponent(this.#password)}@${this.host}:${this.port}/${encodeURIComponent(database)}`;
  }
}
