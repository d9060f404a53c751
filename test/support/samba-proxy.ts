/**
 * Loopback TCP helpers for connection-failure tests against the test DC: a proxy that can cut
 * every connection (an idle drop, as AD does after 15 minutes), a listener that accepts and never
 * answers (a hung server), and a port with nothing listening (a server that is down).
 */
import net from 'node:net';

/** A proxy from 127.0.0.1:<port> to the DC that counts and can cut its connections. */
export interface CuttableProxy {
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Destroys every open connection, both sides. */
  cutAll(): void;
  close(): Promise<void>;
}

/** Starts a proxy to `targetPort` on 127.0.0.1. */
export async function startProxy(targetPort: number): Promise<CuttableProxy> {
  const open = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  const port = await listen(server);

  return {
    url: `ldap://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    cutAll() {
      for (const socket of open) socket.destroy();
      open.clear();
    },
    close: () => closeServer(server, open),
  };
}

/** A listener that accepts connections and never sends a byte. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.on('error', () => undefined);
  });
  const port = await listen(server);

  return { port, close: () => closeServer(server, open) };
}

/** A loopback port that nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await closeServer(server, new Set());

  return port;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closeServer(server: net.Server, open: Set<net.Socket>): Promise<void> {
  for (const socket of open) socket.destroy();

  return new Promise((resolve) => server.close(() => resolve()));
}
