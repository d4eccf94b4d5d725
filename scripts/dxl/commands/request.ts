/**
 * `dxl request`: builds an access request (the case reference and scope are hashed: only hashes go on chain), signs
 * it as EIP-712 typed data, and either submits it as the requester or writes the signed request (`--out`) for a
 * relayer.
 */
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  accessRequestId,
  caseRefOf,
  scopeHashOf,
  signAccessRequest,
  signedRequestJson,
} from "../../lib/access-request";
import type { AccessRequest } from "../../lib/access-request";
import { checkCall, sendChecked } from "../../lib/transactions";
import { accessGrantsDomainOf, chainTime, openSigningSuite, withSignerOptions } from "../context";
import type { ConnectionOptions, SigningContext } from "../context";
import { DxlError } from "../errors";
import { parseBytes32, parseTime, smallNumber } from "../parse";
import { reportTransaction } from "../report";

const DAY = 86_400n;

interface RequestOptions extends ConnectionOptions {
  source: string;
  case: string;
  scope: string;
  purpose: number;
  notBefore?: bigint;
  notAfter?: bigint;
  days: number;
  maxDeliveries: number;
  validFor: number;
  out?: string;
}

/** Registers `dxl request`. */
export function registerRequestCommand(program: Command): void {
  withSignerOptions(
    program
      .command("request")
      .description("sign an access request and submit it, or write it for a relayer with --out")
      .requiredOption("--source <sourceId>", "the data source asked for", parseBytes32)
      .requiredOption("--case <reference>", "the case reference (only its keccak256 goes on chain)")
      .requiredOption("--scope <text>", "the query scope: identifiers, date ranges (only its keccak256 goes on chain)")
      .requiredOption("--purpose <code>", "purpose code (0-255)", smallNumber(255))
      .option("--not-before <time>", "first moment deliveries may be recorded (default: now)", parseTime)
      .option("--not-after <time>", "end of the grant (default: --days after --not-before)", parseTime)
      .option("--days <n>", "length of the grant in days", smallNumber(3650), 30)
      .option("--max-deliveries <n>", "deliveries the grant allows", smallNumber(2 ** 32 - 1), 1)
      .option("--valid-for <minutes>", "minutes the signature may be submitted in", smallNumber(525_600), 60)
      .option("--out <file>", "write the signed request here for a relayer instead of submitting it"),
  ).action(request);
}

async function request(options: RequestOptions): Promise<void> {
  const context = await openSigningSuite(options);
  const accessRequest = await buildRequest(context, options);
  const domain = await accessGrantsDomainOf(context);
  const requestId = accessRequestId(domain, accessRequest);
  if (options.out) {
    const signature = await signAccessRequest(context.signer, domain, accessRequest);
    await writeFile(options.out, signedRequestJson({ domain, request: accessRequest, signature }));
    context.output.result({ requestId, out: options.out, request: accessRequest }, [
      `request ${requestId} signed by ${accessRequest.requester}`,
      `written to ${options.out}: a relayer submits it (dxl relay, POST /requests)`,
    ]);
    return;
  }
  const { accessGrants } = context.suite;
  const { receipt } = await sendChecked(accessGrants.submitRequest, accessRequest);
  reportTransaction(context.output, receipt, `request ${requestId} submitted`, { requestId, request: accessRequest });
}

async function buildRequest(context: SigningContext, options: RequestOptions): Promise<AccessRequest> {
  const { accessGrants } = context.suite;
  const requester = context.signer.address;
  const now = await chainTime(context);
  const notBefore = options.notBefore ?? now;
  const notAfter = options.notAfter ?? notBefore + BigInt(options.days) * DAY;
  if (notAfter <= notBefore) throw new DxlError(`--not-after ${notAfter} must come after --not-before ${notBefore}`);
  const accessRequest: AccessRequest = {
    requester,
    sourceId: options.source,
    caseRef: caseRefOf(options.case),
    scopeHash: scopeHashOf(options.scope),
    purpose: options.purpose,
    notBefore,
    notAfter,
    maxDeliveries: options.maxDeliveries,
    nonce: await accessGrants.nonces(requester),
    deadline: now + BigInt(options.validFor) * 60n,
  };
  // A request the contract would refuse (wrong role, retired source, window too long) is refused here, signed or not.
  await checkCall(accessGrants.submitRequest, accessRequest);
  return accessRequest;
}
