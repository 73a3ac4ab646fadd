/** A reason and what to do about it. */
export interface Advice {
  readonly why: string;
  readonly fix: string;
}

/**
 * What an ssh failure means and what to do, from OpenSSH's own messages
 * (exit status 255). `target` is the ssh destination as written.
 */
export function sshAdvice(stderr: string, target: string): Advice {
  const host = target.replace(/^[^@]*@/, "");
  if (
    /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(
      stderr,
    )
  ) {
    return {
      why: `the host key of ${host} has CHANGED since it was recorded in known_hosts (a reinstalled server, or someone in the middle)`,
      fix: `find out why before anything else; once the new key is verified, remove the old one with ssh-keygen -R ${host} and connect once with ssh ${target}`,
    };
  }
  if (
    /Host key verification failed|No .*host key is known|host key is not known/i.test(
      stderr,
    )
  ) {
    return {
      why: `the host key of ${host} is not in known_hosts: a run would stop at the question whether to trust it`,
      fix: `compare the key's fingerprint with the server's (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub there), then connect once with ssh ${target} and accept it`,
    };
  }
  const denied = /Permission denied \(([^)]*)\)/.exec(stderr);
  if (denied) {
    const methods = denied[1] ?? "";
    return {
      why: `${target} refused this machine's keys (it accepts: ${methods})${/password|keyboard-interactive/.test(methods) ? "; a run never types a password" : ""}`,
      fix: /publickey/.test(methods)
        ? `install this machine's public key for that user (ssh-copy-id ${target}), or name the right key with IdentityFile in ~/.ssh/config; a key with a passphrase must be in ssh-agent`
        : `the server accepts no keys for that user: enable PubkeyAuthentication on ${host}, then ssh-copy-id ${target}`,
    };
  }
  if (/Could not resolve hostname/i.test(stderr))
    return {
      why: `the name ${host} does not resolve`,
      fix: "check the address (a param?), /etc/hosts, or the Host alias in ~/.ssh/config",
    };
  if (/Connection refused/i.test(stderr))
    return {
      why: `nothing accepts ssh connections on ${host}`,
      fix: "start sshd there, or set the right Port for it in ~/.ssh/config",
    };
  if (/timed out/i.test(stderr))
    return {
      why: `no answer from ${host} within 10 s`,
      fix: "check the address, a firewall or security group, or the VPN; a jump host goes in ~/.ssh/config (ProxyJump)",
    };
  if (/No route to host|Network is unreachable/i.test(stderr))
    return {
      why: `${host} is not reachable from this machine (no route)`,
      fix: "check the address and the network (VPN, jump host via ProxyJump in ~/.ssh/config)",
    };
  if (/Too many authentication failures/i.test(stderr))
    return {
      why: `${host} gave up after too many keys were offered`,
      fix: `name the key for it with IdentityFile and IdentitiesOnly yes in ~/.ssh/config`,
    };
  if (/sudo: .*password is required|sudo: a terminal is required/i.test(stderr))
    return {
      why: "sudo asks for a password there",
      fix: "a run uses sudo -n: allow that user to run commands as the target user without a password (a NOPASSWD rule in sudoers)",
    };
  const line =
    stderr
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? "ssh failed";
  return { why: line, fix: `try ssh ${target} by hand to see why` };
}

/** pg and socket errors: what an operator reads and does about them. */
export function postgresAdvice(
  error: unknown,
  o: {
    readonly user: string;
    readonly host: string;
    readonly port: string;
    readonly database: string;
  },
): Advice {
  const e = error as { code?: string; message?: string };
  const message = (e.message ?? String(error)).replace(/\s+/g, " ").trim();
  const where = `${o.host}:${o.port}`;
  switch (e.code) {
    case "28P01":
      return {
        why: message,
        fix: `fix the password of ${o.user}: the one in the URL (its param), or the line for ${where} in ~/.pgpass (host:port:database:user:password)`,
      };
    case "28000":
      return /role .* does not exist/.test(message)
        ? {
            why: message,
            fix: `create the role ${o.user} on ${where}, or use the role that exists`,
          }
        : {
            why: message,
            fix: `add a line for this machine's address, database ${o.database} and user ${o.user} to pg_hba.conf on ${where}, then reload the server`,
          };
    case "3D000":
      return {
        why: message,
        fix: `check the database name (${o.database}) or create it`,
      };
    case "53300":
      return {
        why: message,
        fix: "the server has no connection left: close idle sessions or raise max_connections",
      };
    case "57P03":
      return {
        why: message,
        fix: "the server is starting, stopping or in recovery without hot_standby: wait, or check it",
      };
    case "ECONNREFUSED":
      return {
        why: `nothing accepts connections on ${where}`,
        fix: "check that PostgreSQL runs there, listen_addresses and the port",
      };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return {
        why: `the name ${o.host} does not resolve`,
        fix: "check the address (a param?) and DNS or /etc/hosts",
      };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return {
        why: `${where} is not reachable from this machine`,
        fix: "check the address and the network (VPN, firewall)",
      };
    case "ETIMEDOUT":
      return {
        why: `no answer from ${where}`,
        fix: "check the address, a firewall or security group",
      };
    default:
      break;
  }
  if (
    /client password must be a string|password authentication failed|no password supplied/i.test(
      message,
    )
  ) {
    return {
      why: `no password for ${o.user} on ${where}`,
      fix: `add it to ~/.pgpass (${o.host}:${o.port}:*:${o.user}:PASSWORD, mode 0600) or to the URL through a secret param`,
    };
  }
  if (/timeout/i.test(message))
    return {
      why: `no answer from ${where} within 10 s`,
      fix: "check the address, a firewall or security group",
    };
  if (/SSL/i.test(message))
    return {
      why: message,
      fix: "check sslmode in the URL against what the server offers",
    };
  return { why: message, fix: `try psql with the same URL to see why` };
}
