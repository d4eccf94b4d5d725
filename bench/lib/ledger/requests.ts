/**
 * Access requests and everything that follows them, as AccessGrants would emit it: each request is planned when it
 * is submitted (endorsed or not, approved, rejected or left undecided, withdrawn or revoked, how many deliveries),
 * and its later steps are scheduled into the slots (blocks) where they happen. Deliveries only fall inside the
 * grant's window and before its revocation, never exceed its limit, and draw from the source's latest attestation.
 */
import { id, TypedDataEncoder } from "ethers";
import { ACCESS_REQUEST_TYPES } from "../../../test/helpers/eip712";
import type { Consortium, DataSource } from "./consortium";
import { word } from "./abi-encoder";
import type { AttestationChains } from "./attestations";
import {
  ACKNOWLEDGEMENT,
  REQUEST_STATUS,
  accessRequested,
  deliveryAcknowledged,
  deliveryRecorded,
  grantRevoked,
  requestApproved,
  requestEndorsed,
  requestRejected,
} from "./events";
import type { AccessRequestValue, EventSpec, TransactionSpec } from "./events";
import { hashOf, keccakOfWords } from "./hashes";
import type { Random } from "./random";

const DAY = 86_400;
/** A grant's window: within the contract's default maximum of 90 days. */
const WINDOW_SECONDS = 30 * DAY;
/** Requests whose window opens later (APPROVED, not yet ACTIVE, once approved). */
const FUTURE_WINDOW = { share: 0.02, delaySeconds: 60 * DAY };
/** Of requests that need an endorsement, how many get one. */
const ENDORSED_SHARE = 0.95;
/** Decisions on requests that may be decided; the rest stay undecided (PENDING, then EXPIRED). */
const APPROVED_SHARE = 0.8;
const REJECTED_SHARE = 0.1;
/** Of undecided requests, how many the requester withdraws; of approved grants, how many are revoked. */
const WITHDRAWN_SHARE = 0.1;
const REVOKED_SHARE = 0.03;
/** Of approved grants, how many see no delivery at all. */
const UNUSED_SHARE = 0.25;
const ACKNOWLEDGED_SHARE = 0.85;
const DISPUTED_SHARE = 0.05;
const RELAYED_SHARE = 0.3;
const MAX_DELIVERIES = [1, 2, 3, 5];
/** Open cases at a time: a case's requests interleave with those of the others open with it. */
const OPEN_CASES = 500;

/** A request as planned at submission. */
interface PlannedRequest {
  id: string;
  requester: string;
  supervisor: string;
  source: DataSource;
  maxDeliveries: number;
  /** Deliveries to make once approved. */
  deliveries: number;
  /** The slot of its revocation; Infinity if it is never revoked. */
  revokedAtSlot: number;
  isFutureWindow: boolean;
}

/** A step due in a slot: the event it emits, or null when there is nothing to do after all. */
type Step = (slot: number) => EventSpec | null;

/** The bureau's requests and their lifecycles. */
export class RequestLifecycles {
  private readonly scheduled = new Map<number, Step[]>();
  private readonly nonces = new Map<string, number>();
  private nextDeliveryId = 1n;
  private readonly domainSeparator: string;
  /** keccak256 of the AccessRequest type string of DESIGN.md, as EIP-712 hashes it. */
  private readonly requestTypeHash = id(TypedDataEncoder.from(ACCESS_REQUEST_TYPES).encodeType("AccessRequest"));

  constructor(
    private readonly consortium: Consortium,
    private readonly random: Random,
    private readonly attestations: AttestationChains,
    accessGrants: { chainId: number; address: string },
    private readonly requestsPerCase: number,
  ) {
    this.domainSeparator = TypedDataEncoder.hashDomain({
      name: "dxl AccessGrants",
      version: "1",
      chainId: accessGrants.chainId,
      verifyingContract: accessGrants.address,
    });
  }

  /** The submission of request number `index` at `timestamp`; its later steps are scheduled from `slot` on. */
  submit(index: number, slot: number, timestamp: number): TransactionSpec {
    const caseIndex = this.caseOf(index);
    const requester = this.consortium.investigators[caseIndex % this.consortium.investigators.length];
    const source = this.random.pick(this.consortium.sources);
    const isFutureWindow = this.random.chance(FUTURE_WINDOW.share);
    const notBefore = timestamp + (isFutureWindow ? FUTURE_WINDOW.delaySeconds : 0);
    const nonce = this.nonces.get(requester) ?? 0;
    this.nonces.set(requester, nonce + 1);
    const request: AccessRequestValue = {
      requester,
      sourceId: source.id,
      caseRef: hashOf(`case ${caseIndex}`),
      scopeHash: hashOf(`scope ${index}`),
      purpose: this.random.between(0, 3),
      notBefore,
      notAfter: notBefore + WINDOW_SECONDS,
      maxDeliveries: this.random.pick(MAX_DELIVERIES),
      nonce,
      deadline: timestamp + 3_600,
    };
    const planned: PlannedRequest = {
      id: this.requestIdOf(request),
      requester,
      supervisor: this.consortium.supervisors[caseIndex % this.consortium.supervisors.length],
      source,
      maxDeliveries: request.maxDeliveries,
      deliveries: this.random.chance(UNUSED_SHARE) ? 0 : this.random.between(1, request.maxDeliveries),
      revokedAtSlot: Infinity,
      isFutureWindow,
    };
    this.plan(planned, slot);
    const submitter = this.random.chance(RELAYED_SHARE) ? this.consortium.relayer : requester;
    return [
      accessRequested({
        requestId: planned.id,
        request,
        requesterOrganizationId: this.consortium.bureau.id,
        holderOrganizationId: source.organizationId,
        endorsementRequired: source.endorsementRequired,
        submitter,
      }),
    ];
  }

  /** The transactions of the steps due in `slot`, one event each. */
  stepsDue(slot: number): TransactionSpec[] {
    const steps = this.scheduled.get(slot) ?? [];
    this.scheduled.delete(slot);
    return steps.map((step) => step(slot)).flatMap((emitted) => (emitted ? [[emitted]] : []));
  }

  /** Cases open together take turns, so a case's requests spread over the time its batch of cases is open. */
  private caseOf(index: number): number {
    const batch = Math.floor(index / (this.requestsPerCase * OPEN_CASES));
    return batch * OPEN_CASES + (index % OPEN_CASES);
  }

  /**
   * The request's EIP-712 digest under the AccessGrants domain: its id on chain. Hashed from words rather than with
   * TypedDataEncoder, which costs ~300 µs a request here; every field is a static type, so `encodeData` is the
   * fields' words in the type's order.
   */
  private requestIdOf(request: AccessRequestValue): string {
    const structHash = keccakOfWords([
      this.requestTypeHash.slice(2),
      request.requester.slice(2).padStart(64, "0"),
      request.sourceId.slice(2),
      request.caseRef.slice(2),
      request.scopeHash.slice(2),
      ...[request.purpose, request.notBefore, request.notAfter, request.maxDeliveries, request.nonce].map(word),
      word(request.deadline),
    ]);
    return keccakOfWords(["1901", this.domainSeparator.slice(2), structHash.slice(2)]);
  }

  private schedule(slot: number, step: Step): void {
    const steps = this.scheduled.get(slot);
    if (steps) steps.push(step);
    else this.scheduled.set(slot, [step]);
  }

  /** Endorsement, then a decision, or neither (the request then waits, and may be withdrawn). */
  private plan(request: PlannedRequest, slot: number): void {
    let readySlot = slot;
    if (request.source.endorsementRequired) {
      if (!this.random.chance(ENDORSED_SHARE)) return this.maybeWithdraw(request, slot);
      readySlot = slot + this.random.between(1, 10);
      this.schedule(readySlot, () => this.endorse(request));
    }
    const decision = this.random.next();
    const decidedSlot = readySlot + this.random.between(1, 30);
    if (decision < APPROVED_SHARE) this.schedule(decidedSlot, () => this.approve(request, decidedSlot));
    else if (decision < APPROVED_SHARE + REJECTED_SHARE) this.schedule(decidedSlot, () => this.reject(request));
    else this.maybeWithdraw(request, slot);
  }

  private maybeWithdraw(request: PlannedRequest, slot: number): void {
    if (!this.random.chance(WITHDRAWN_SHARE)) return;
    this.schedule(slot + this.random.between(40, 80), () =>
      grantRevoked(request.id, request.requester, 1, REQUEST_STATUS.PENDING),
    );
  }

  private endorse(request: PlannedRequest): EventSpec {
    const bySignature = this.random.chance(0.5);
    return requestEndorsed(
      request.id,
      request.supervisor,
      bySignature,
      bySignature ? request.requester : request.supervisor,
    );
  }

  private reject(request: PlannedRequest): EventSpec {
    return requestRejected(request.id, request.source.steward, this.random.between(1, 6));
  }

  /** Approves, then schedules the revocation and the first delivery, if any. */
  private approve(request: PlannedRequest, slot: number): EventSpec {
    if (this.random.chance(REVOKED_SHARE)) {
      request.revokedAtSlot = slot + this.random.between(10, 300);
      const revoker = this.random.chance(0.5) ? request.source.steward : request.supervisor;
      this.schedule(request.revokedAtSlot, () =>
        grantRevoked(request.id, revoker, this.random.between(1, 4), REQUEST_STATUS.APPROVED),
      );
    }
    if (!request.isFutureWindow) this.scheduleDelivery(request, 1, slot + this.random.between(5, 100));
    return requestApproved(request.id, request.source.steward);
  }

  private scheduleDelivery(request: PlannedRequest, deliveryNumber: number, slot: number): void {
    if (deliveryNumber > request.deliveries || slot >= request.revokedAtSlot) return;
    this.schedule(slot, (due) => this.deliver(request, deliveryNumber, due));
  }

  /** Records delivery `deliveryNumber`, then schedules its acknowledgement and the next delivery. */
  private deliver(request: PlannedRequest, deliveryNumber: number, slot: number): EventSpec | null {
    const attestationId = this.attestations.headOf(request.source);
    if (attestationId === null) return null;
    const deliveryId = this.nextDeliveryId++;
    if (this.random.chance(ACKNOWLEDGED_SHARE)) {
      const isDisputed = this.random.chance(DISPUTED_SHARE);
      const acknowledgement = isDisputed ? ACKNOWLEDGEMENT.DISPUTED : ACKNOWLEDGEMENT.ACCEPTED;
      const reasonCode = isDisputed ? this.random.between(1, 4) : 0;
      this.schedule(slot + this.random.between(1, 20), () =>
        deliveryAcknowledged(deliveryId, request.id, request.requester, acknowledgement, reasonCode),
      );
    }
    this.scheduleDelivery(request, deliveryNumber + 1, slot + this.random.between(20, 200));
    return deliveryRecorded({
      deliveryId,
      requestId: request.id,
      attestationId,
      payloadHash: hashOf(`payload ${deliveryId}`),
      recordCount: this.random.between(1, 500),
      deliveryNumber,
      steward: request.source.steward,
    });
  }
}
