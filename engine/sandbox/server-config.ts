/**
 * What every sandbox cluster runs with, written once into the cached template.
 * Durability is traded for speed (the data is thrown away); replication is on
 * because runbooks rehearse logical replication and base backups.
 */
export const TEMPLATE_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: "127.0.0.1",
  password_encryption: "scram-sha-256",
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  wal_level: "logical",
  max_wal_senders: "10",
  max_replication_slots: "10",
  shared_buffers: "16MB",
  // The server's stderr goes to the cluster's server.log.
  logging_collector: "off",
  log_destination: "stderr",
  // The template is cached across runs and machines' time zones: keep rehearsals reproducible.
  timezone: "UTC",
  log_timezone: "UTC",
};

/**
 * Host connections must prove the generated password (SCRAM). The unix socket
 * trusts everyone only because its directory is private to the server user.
 */
export const PG_HBA = `# runbook sandbox: TCP on 127.0.0.1 needs the generated password.
local   all           all                    trust
local   replication   all                    trust
host    all           all   127.0.0.1/32     scram-sha-256
host    replication   all   127.0.0.1/32     scram-sha-256
`;

/** Settings that differ per cluster; appended last so that they win. */
export function clusterSettings(options: {
  port: number;
  socketDir: string;
}): Record<string, string> {
  return {
    port: String(options.port),
    unix_socket_directories: options.socketDir,
  };
}

/** postgresql.conf lines for `settings`, every value quoted. */
export function renderSettings(
  heading: string,
  settings: Readonly<Record<string, string>>,
): string {
  const lines = Object.entries(settings).map(
    ([name, value]) => `${name} = '${value.replaceAll("'", "''")}'`,
  );
  return `\n# ${heading}\n${lines.join("\n")}\n`;
}
