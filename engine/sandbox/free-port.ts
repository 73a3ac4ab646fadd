import { createServer, type Server } from "node:net";

/**
 * `count` distinct TCP ports that are free on 127.0.0.1 right now. All are
 * held until the last is found, so the kernel cannot hand out one twice; a
 * port can still be taken before the server binds it, which the caller
 * handles by retrying.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(await listen(server));
    }
    return ports;
  } finally {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => server.close(() => resolve())),
      ),
    );
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === "string")
        reject(new Error("no TCP address"));
      else resolve(address.port);
    });
  });
}
