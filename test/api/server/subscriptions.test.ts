import { expect } from "chai";
import { Wallet } from "ethers";
import type { GraphQLSchema } from "graphql";
import { createApiSchema } from "../../../indexer/api";
import { databaseTargets } from "../../helpers/databases";
import { signIn, walletOf } from "../auth/siwe-client";
import { startIndexedLedger, startTestApi } from "./ledger";
import type { IndexedLedger, ServerUnderTest } from "./ledger";
import { subscribe } from "./sse";
import type { Arrival } from "./sse";

/** The bound: a new event reaches subscribers within 1 s of its block being indexed. */
const DELIVERY_BOUND_MS = 1_000;
/** How long a test waits for something that should happen at once before calling it a failure. */
const PATIENCE_MS = 10_000;
const LIVE = `subscription Live { events(where: { name: ["OrganizationRegistered"] }) { name blockNumber args } }`;

/** How many `Subscription.events` source iterators the resolver opened, and how many were closed. */
interface IteratorCount {
  opened: number;
  closed: number;
}

/** The real schema, with the events subscription's source iterators counted as they open and close. */
function schemaCountingIterators(count: IteratorCount): GraphQLSchema {
  const schema = createApiSchema();
  const field = schema.getSubscriptionType()!.getFields().events;
  const subscribeToEvents = field.subscribe!;
  field.subscribe = async (...args) => {
    const iterator = (await subscribeToEvents(...args)) as AsyncIterator<unknown>;
    count.opened++;
    const close = iterator.return!.bind(iterator);
    iterator.return = (value?: unknown) => {
      count.closed++;
      return close(value);
    };
    return iterator;
  };
  return schema;
}

/** Resolves once `condition` holds, checking every 5 ms; rejects after {@link PATIENCE_MS}. */
async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + PATIENCE_MS;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${PATIENCE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

for (const target of databaseTargets()) {
  describe(`API subscriptions over Server-Sent Events (${target.name})`, function () {
    let ledger: IndexedLedger;
    let server: ServerUnderTest;
    let token: string;
    const iterators: IteratorCount = { opened: 0, closed: 0 };

    before(async function () {
      ledger = await startIndexedLedger(target);
      server = await startTestApi(ledger, { schema: schemaCountingIterators(iterators) });
      token = await signIn(server, walletOf(ledger.deployment, "auditor"));
    });

    after(async function () {
      await server?.close();
      await ledger?.stop();
    });

    /** Registers an organization (each with a fresh admin: an account belongs to one); returns its event's block. */
    async function registerOrganization(name: string): Promise<number> {
      const consortium = ledger.deployment.suite.consortium.connect(ledger.deployment.signers.governance);
      const sent = await consortium.registerOrganization(4, name, `ipfs://dxl/${name}`, Wallet.createRandom().address);
      return (await sent.wait())!.blockNumber;
    }

    /** Audit rows of `Live` streams that sent something. */
    async function auditedStreams(): Promise<number> {
      const [{ count }] = await ledger.handle.database.query<{ count: string }>(
        "SELECT count(*) FROM query_audit_log WHERE operation_name = 'Live' AND result_bytes > 0",
      );
      return Number(count);
    }

    /** Opens the subscription and waits until its resolver has taken its starting position. */
    async function subscribeToRegistrations() {
      const opened = iterators.opened;
      const stream = await subscribe(server, { query: LIVE, token });
      await eventually(() => iterators.opened > opened, "the subscription's start");
      return stream;
    }

    it("should deliver a new event within 1 s of its block being indexed", async function () {
      const stream = await subscribeToRegistrations();
      try {
        const block = await registerOrganization("Harbour Authority");
        await eventually(() => (ledger.indexer.sync.status().indexedBlock ?? -1) >= block, "indexing");
        const indexedAt = performance.now();
        const isTheEvent = (arrival: Arrival) => Number(arrival.payload.data?.events.blockNumber) === block;
        const arrival = await stream.next(isTheEvent, PATIENCE_MS);
        expect(arrival.at - indexedAt).to.be.at.most(DELIVERY_BOUND_MS);
        expect(arrival.payload.data.events).to.deep.include({ name: "OrganizationRegistered" });
        expect(arrival.payload.data.events.args.name).to.equal("Harbour Authority");
      } finally {
        stream.close();
      }
    });

    it("should close the resolver's iterator when the client disconnects, and audit the stream", async function () {
      const stream = await subscribeToRegistrations();
      const closedBefore = iterators.closed;
      const auditedBefore = await auditedStreams();
      const block = await registerOrganization("Tram Company");
      await stream.next((arrival) => Number(arrival.payload.data?.events.blockNumber) === block, PATIENCE_MS);
      stream.close();
      await eventually(() => iterators.closed > closedBefore, "closing the resolver's iterator");
      await eventually(async () => (await auditedStreams()) > auditedBefore, "the stream's audit row");
    });

    it("should refuse a subscription to raw events to a member who is not an auditor", async function () {
      const investigator = await signIn(server, walletOf(ledger.deployment, "investigator"));
      const stream = await subscribe(server, { query: LIVE, token: investigator });
      const refusal = await stream.next((arrival) => arrival.payload.errors !== undefined, PATIENCE_MS);
      expect(
        refusal.payload.errors.map((error: { extensions: { code: string } }) => error.extensions.code),
      ).to.deep.equal(["FORBIDDEN"]);
      await stream.ended;
    });
  });
}
