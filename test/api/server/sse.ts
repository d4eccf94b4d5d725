/** A GraphQL subscription read over Server-Sent Events with `fetch`, as a browser's client would. */
import type { ApiServer } from "../../../indexer/api/server";
import { bearer } from "./client";
import type { GraphQLRequest } from "./client";

/** One `next` message and when it arrived (`performance.now()`). */
export interface Arrival {
  at: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads are asserted field by field
  payload: any;
}

export interface SubscriptionStream {
  /** Every `next` payload so far. */
  arrivals: Arrival[];
  /** The first arrival matching `predicate`; rejects after `timeoutMs` or when the stream ends first. */
  next(predicate: (arrival: Arrival) => boolean, timeoutMs: number): Promise<Arrival>;
  /** Disconnects, as a client closing its tab. */
  close(): void;
  /** Settles when the stream has ended. */
  ended: Promise<void>;
}

/** Opens the subscription; resolves once the response headers arrived. */
export async function subscribe(server: ApiServer, request: GraphQLRequest): Promise<SubscriptionStream> {
  const { token, ...payload } = request;
  const controller = new AbortController();
  const response = await fetch(server.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", ...bearer(token) },
    body: JSON.stringify(payload),
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`subscription refused: ${await response.text()}`);
  const arrivals: Arrival[] = [];
  const ended = readEvents(response.body, arrivals).catch(() => undefined);
  let hasEnded = false;
  void ended.then(() => (hasEnded = true));

  async function next(predicate: (arrival: Arrival) => boolean, timeoutMs: number): Promise<Arrival> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = arrivals.find(predicate);
      if (found) return found;
      if (hasEnded) throw new Error(`the stream ended first: ${JSON.stringify(arrivals)}`);
      if (performance.now() > deadline) throw new Error(`nothing matched within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  return { arrivals, next, close: () => controller.abort(), ended };
}

/** Parses `event: next` / `data: …` blocks as they stream in, stamping each with its arrival time. */
async function readEvents(body: ReadableStream<Uint8Array>, arrivals: Arrival[]): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    const blocks = buffered.split("\n\n");
    buffered = blocks.pop()!;
    for (const block of blocks) {
      const lines = block.split("\n");
      const data = lines.filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trim());
      if (lines.includes("event: next") && data.length > 0) {
        arrivals.push({ at: performance.now(), payload: JSON.parse(data.join("\n")) });
      }
    }
  }
}
