import pg from "pg";

export interface ResolvedDatabase {
  readonly name: string;
  /** The URL to connect with (secret: it may hold a password). */
  readonly url: string;
  /** The same URL with the password masked, for display. */
  readonly shown: string;
}

/** Every value comes back as PostgreSQL's own text form: checks compare text (SPEC 1.4). */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/**
 * One node-postgres connection per database per run, opened on first use
 * and kept: a check on a connected database costs one round trip.
 */
export class Connections {
  private readonly clients = new Map<string, Promise<pg.Client>>();
  private readonly resolved = new Map<string, ResolvedDatabase>();

  constructor(private readonly resolve: (db: string) => ResolvedDatabase) {}

  /** The database's URL, resolved once (it may name a variable captured by an earlier step). */
  database(db: string): ResolvedDatabase {
    let r = this.resolved.get(db);
    if (!r) {
      r = this.resolve(db);
      this.resolved.set(db, r);
    }
    return r;
  }

  client(db: string): Promise<pg.Client> {
    let client = this.clients.get(db);
    if (!client) {
      client = this.connect(db);
      this.clients.set(db, client);
      // A failed connection is not kept: the next use (a retry, a polling check) tries again.
      client.catch(() => this.clients.delete(db));
    }
    return client;
  }

  /** Forgets a connection that broke (the server restarted), so the next use reconnects. */
  drop(db: string): void {
    const client = this.clients.get(db);
    this.clients.delete(db);
    client?.then((c) => c.end()).catch(() => undefined);
  }

  private async connect(db: string): Promise<pg.Client> {
    const { url } = this.database(db);
    const client = new pg.Client({
      connectionString: url,
      types: TEXT_TYPES,
      connectionTimeoutMillis: 10_000,
      application_name: "runbook",
    });
    client.on("error", () => this.drop(db));
    await client.connect();
    return client;
  }

  /** Asks the server to cancel what `db`'s connection is running (Ctrl-C, timeout). */
  async cancel(db: string): Promise<void> {
    const client = await this.clients.get(db)?.catch(() => undefined);
    const pid = (client as unknown as { processID?: number } | undefined)
      ?.processID;
    if (!client || pid === undefined) return;
    const canceller = new pg.Client({
      connectionString: this.database(db).url,
      connectionTimeoutMillis: 5000,
    });
    try {
      await canceller.connect();
      await canceller.query("SELECT pg_cancel_backend($1)", [pid]);
    } catch {
      // Best effort: the statement may have ended already.
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(
      all.map((c) => c.then((client) => client.end()).catch(() => undefined)),
    );
  }
}

export type { pg };
