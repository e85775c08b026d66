// Asks the kernel for a free TCP port on 127.0.0.1. A port is free only until something binds it, and
// servers started in parallel each ask before any of them binds: the kernel can hand the same port to
// two of them (seen: two control planes of the drill benchmark, one API server failing with "address
// already in use"). So no port is handed out twice by this process.
import { createServer } from "node:net";

const handedOut = new Set<number>();
/** Far more than any run asks for: the kernel's ephemeral range has tens of thousands. */
const MAX_ATTEMPTS = 100;

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = await kernelPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`The kernel kept returning ports already handed out (${MAX_ATTEMPTS} attempts).`);
}

/** Several distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort());
  return ports;
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("The kernel returned no port."))));
    });
  });
}
