/**
 * The relay's HTTP service (node:http): `POST /requests` takes a signed access request, `POST /endorsements` a
 * signed endorsement (the JSON documents of `access-request.ts`); both answer `201 {"requestId","transactionHash"}`
 * or a 4xx `{"error": "…", "contractError"?: "Name(args)"}`. `GET /healthz` answers 200. Submissions go out one at a
 * time, so the relayer's nonces never collide.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { RelayRejection, relaySignedEndorsement, relaySignedRequest } from "./relay";
import type { RelayReceipt, RelayTarget } from "./relay";

/** The largest body accepted: a signed document is well under 2 kB. */
const MAX_BODY_BYTES = 64 * 1024;

/** A listening relay. */
export interface RelayServer {
  url: string;
  close(): Promise<void>;
}

/** What the server reports for each request it handled. */
export type RelayLog = (entry: { path: string; status: number; requestId?: string; error?: string }) => void;

const ROUTES: Record<string, (target: RelayTarget, document: unknown) => Promise<RelayReceipt>> = {
  "/requests": relaySignedRequest,
  "/endorsements": relaySignedEndorsement,
};

/** Starts the relay on `host:port` (0: any free port). */
export async function startRelayServer(
  target: RelayTarget,
  options: { host: string; port: number; log?: RelayLog },
): Promise<RelayServer> {
  const submitOneAtATime = serialized();
  const server = http.createServer((request, response) => {
    void handle(request, target, submitOneAtATime).then(({ status, body }) => {
      options.log?.({ path: request.url ?? "", status, requestId: body.requestId, error: body.error });
      response.writeHead(status, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Answer {
  status: number;
  body: { requestId?: string; transactionHash?: string; error?: string; contractError?: string; status?: string };
}

async function handle(
  request: http.IncomingMessage,
  target: RelayTarget,
  submitOneAtATime: <T>(task: () => Promise<T>) => Promise<T>,
): Promise<Answer> {
  try {
    const path = new URL(request.url ?? "/", "http://relay").pathname;
    if (path === "/healthz" && request.method === "GET") return { status: 200, body: { status: "ok" } };
    const route = ROUTES[path];
    if (!route) throw new RelayRejection(404, `no such endpoint: ${path} (POST /requests or POST /endorsements)`);
    if (request.method !== "POST") throw new RelayRejection(405, `${path} takes POST, not ${request.method}`);
    const document = await readJsonBody(request);
    const receipt = await submitOneAtATime(() => route(target, document));
    return { status: 201, body: { ...receipt } };
  } catch (error) {
    if (error instanceof RelayRejection) {
      return { status: error.status, body: { error: error.message, contractError: error.contractError } };
    }
    return { status: 500, body: { error: `the relay failed: ${(error as Error).message}` } };
  }
}

async function readJsonBody(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RelayRejection(413, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new RelayRejection(400, `the body is not JSON: ${(error as Error).message}`);
  }
}

/** Runs the tasks given to it one after the other, in the order given. */
function serialized(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
