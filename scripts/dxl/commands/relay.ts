/**
 * `dxl relay`: serves `POST /requests` and `POST /endorsements` (see `scripts/lib/relay-server.ts`) and submits
 * what passes its checks with the relayer's key, until SIGINT or SIGTERM.
 */
import type { Command } from "commander";
import { startRelayServer } from "../../lib/relay-server";
import { accessGrantsDomainOf, openSigningSuite, withSignerOptions } from "../context";
import type { ConnectionOptions } from "../context";
import { smallNumber } from "../parse";

interface RelayOptions extends ConnectionOptions {
  host: string;
  port: number;
}

/** Registers `dxl relay`. */
export function registerRelayCommand(program: Command): void {
  withSignerOptions(
    program
      .command("relay")
      .description("an HTTP relay that checks signed requests and endorsements and submits them with its key")
      .option("--host <host>", "address to listen on", "127.0.0.1")
      .option("--port <port>", "port to listen on (0: any free port)", smallNumber(65_535), 8_546),
  ).action(relay);
}

async function relay(options: RelayOptions): Promise<void> {
  const context = await openSigningSuite(options);
  const { suite, signer, network, output } = context;
  const domain = await accessGrantsDomainOf(context);
  const server = await startRelayServer(
    { accessGrants: suite.accessGrants, domain, provider: network.provider },
    {
      host: options.host,
      port: options.port,
      log: (entry) => output.note(`${entry.status} ${entry.path} ${entry.requestId ?? entry.error ?? ""}`.trim()),
    },
  );
  output.result({ url: server.url, relayer: signer.address, chainId: network.chainId }, [
    `relay listening on ${server.url} (relayer ${signer.address}, chain ${network.chainId})`,
  ]);
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  await server.close();
  output.note(`relay stopped (${signal})`);
}
