/** Starting and stopping a `node:http` server as promises: shared by the operations endpoints and the API. */
import type http from "node:http";
import type { AddressInfo } from "node:net";

/** Listens on `host:port`; a bind failure (which `listen` reports as an "error" event) rejects. */
export function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * Stops listening and drops open connections too: `close` alone would wait for requests in flight (a slow scrape,
 * a subscription's open stream) before shutdown could proceed.
 */
export function close(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** The URL of a bound address; IPv6 addresses need brackets. */
export function urlOf(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
