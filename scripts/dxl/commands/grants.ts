/**
 * `dxl endorse|approve|reject|revoke`: the decisions on a submitted request. A supervisor endorses directly, or
 * signs an endorsement (`--out`) for a relayer; the holder's steward approves or rejects; those entitled revoke.
 */
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import type { AccessGrants } from "../../../typechain-types";
import { accessRequestHash, signedEndorsementJson, signEndorsement } from "../../lib/access-request";
import type { AccessRequest } from "../../lib/access-request";
import { sendChecked } from "../../lib/transactions";
import { accessGrantsDomainOf, chainTime, openSigningSuite, withSignerOptions } from "../context";
import type { ConnectionOptions, SigningContext } from "../context";
import { DxlError } from "../errors";
import { parseBytes32, smallNumber } from "../parse";
import { reportTransaction } from "../report";

interface EndorseOptions extends ConnectionOptions {
  out?: string;
  validFor: number;
}

interface ReasonOptions extends ConnectionOptions {
  reason: number;
}

/** Registers `dxl endorse`, `dxl approve`, `dxl reject` and `dxl revoke`. */
export function registerGrantCommands(program: Command): void {
  withSignerOptions(
    requestCommand(program, "endorse", "endorse a request as a SUPERVISOR of the requester's organization")
      .option("--out <file>", "write a signed endorsement here for a relayer instead of submitting it")
      .option("--valid-for <minutes>", "minutes the signed endorsement may be submitted in", smallNumber(525_600), 60),
  ).action(endorse);
  withSignerOptions(requestCommand(program, "approve", "approve a pending request (the holder's DATA_STEWARD)")).action(
    approve,
  );
  withSignerOptions(
    withReason(requestCommand(program, "reject", "reject a pending request (the holder's DATA_STEWARD)")),
  ).action(decideWithReason("reject", "rejected"));
  withSignerOptions(
    withReason(requestCommand(program, "revoke", "revoke a pending request or an approved grant")),
  ).action(decideWithReason("revoke", "revoked"));
}

function requestCommand(program: Command, name: string, description: string): Command {
  return program.command(name).description(description).argument("<requestId>", "the request", parseBytes32);
}

function withReason(command: Command): Command {
  return command.requiredOption("--reason <code>", "reason code (0-65535)", smallNumber(65_535));
}

async function endorse(requestId: string, options: EndorseOptions): Promise<void> {
  const context = await openSigningSuite(options);
  if (options.out) return writeSignedEndorsement(context, requestId, options);
  const { receipt } = await sendChecked(context.suite.accessGrants.endorse, requestId);
  reportTransaction(context.output, receipt, `request ${requestId} endorsed by ${context.signer.address}`, {
    requestId,
  });
}

async function writeSignedEndorsement(context: SigningContext, requestId: string, options: EndorseOptions) {
  const { accessGrants } = context.suite;
  const request = await findSubmittedRequest(accessGrants, requestId, context.record.startBlock);
  const endorsement = {
    requestHash: accessRequestHash(request),
    supervisor: context.signer.address,
    deadline: (await chainTime(context)) + BigInt(options.validFor) * 60n,
  };
  const domain = await accessGrantsDomainOf(context);
  const signature = await signEndorsement(context.signer, domain, endorsement);
  await writeFile(options.out!, signedEndorsementJson({ domain, endorsement, signature }));
  context.output.result({ requestId, out: options.out, endorsement }, [
    `endorsement of request ${requestId} signed by ${endorsement.supervisor}`,
    `written to ${options.out}: a relayer submits it (dxl relay, POST /endorsements)`,
  ]);
}

/** The request as submitted, from its `AccessRequested` event (the chain keeps only its hashes and window). */
async function findSubmittedRequest(
  accessGrants: AccessGrants,
  requestId: string,
  fromBlock: number,
): Promise<AccessRequest> {
  const [event] = await accessGrants.queryFilter(accessGrants.filters.AccessRequested(requestId), fromBlock);
  if (!event) throw new DxlError(`request ${requestId} was never submitted`);
  const { requester, sourceId, caseRef, scopeHash, purpose, notBefore, notAfter, maxDeliveries, nonce, deadline } =
    event.args.request;
  return {
    requester,
    sourceId,
    caseRef,
    scopeHash,
    purpose: Number(purpose),
    notBefore,
    notAfter,
    maxDeliveries: Number(maxDeliveries),
    nonce,
    deadline,
  };
}

async function approve(requestId: string, options: ConnectionOptions): Promise<void> {
  const { suite, output } = await openSigningSuite(options);
  const { receipt } = await sendChecked(suite.accessGrants.approve, requestId);
  reportTransaction(output, receipt, `request ${requestId} approved`, { requestId });
}

/** `reject` and `revoke`: the same call shape, a request and a reason code. */
function decideWithReason(action: "reject" | "revoke", pastTense: string) {
  return async (requestId: string, options: ReasonOptions): Promise<void> => {
    const { suite, output } = await openSigningSuite(options);
    const { receipt } = await sendChecked(suite.accessGrants[action], requestId, options.reason);
    reportTransaction(output, receipt, `request ${requestId} ${pastTense} (reason ${options.reason})`, {
      requestId,
      reasonCode: options.reason,
    });
  };
}
