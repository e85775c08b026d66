// A TCP relay in the test process, in front of a real API server: closing it makes that server
// unreachable for whoever connects through it (connections refused, open ones cut) without touching
// the server itself, which other tests share; opening it again on the same port brings it back.
import { createConnection, createServer } from "node:net";
import type { Server, Socket } from "node:net";

export interface TcpProxy {
  /** `https://127.0.0.1:<port>`: the address to put in a kubeconfig instead of the server's. */
  readonly server: string;
  open(): Promise<void>;
  /** Stops listening and cuts every open connection. */
  close(): Promise<void>;
}

export function tcpProxy(listenPort: number, targetPort: number): TcpProxy {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const relay = (client: Socket): void => {
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  };
  return {
    server: `https://127.0.0.1:${listenPort}`,
    open: () =>
      new Promise((resolve, reject) => {
        const listening = createServer(relay);
        listening.once("error", reject);
        listening.listen(listenPort, "127.0.0.1", () => {
          server = listening;
          resolve();
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (server === undefined) return resolve();
        server.close(() => resolve());
        server = undefined;
      }),
  };
}
