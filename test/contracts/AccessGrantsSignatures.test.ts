import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import type { HardhatNetworkAccountsConfig } from "hardhat/types";
import type { Signer, TypedDataDomain } from "ethers";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { signTypedData, SignTypedDataVersion, TypedDataUtils } from "@metamask/eth-sig-util";
import type { MessageTypes, TypedMessage } from "@metamask/eth-sig-util";
import { ERC1271WalletMock__factory } from "../../typechain-types";
import { ACCESS_REQUEST_TYPES, accessGrantsDomain, ENDORSEMENT_TYPES } from "../helpers/eip712";
import { buildAccessRequest, HOUR, isAccessRequest } from "../helpers/requests";
import type { AccessRequestValues } from "../helpers/requests";
import { consortiumScenario, Role, roleMask } from "../helpers/suite";

/** The wire format of DESIGN.md, verbatim. */
const ACCESS_REQUEST_TYPE =
  "AccessRequest(address requester,bytes32 sourceId,bytes32 caseRef,bytes32 scopeHash,uint8 purpose," +
  "uint64 notBefore,uint64 notAfter,uint32 maxDeliveries,uint256 nonce,uint256 deadline)";
const ENDORSEMENT_TYPE = "Endorsement(bytes32 requestHash,address supervisor,uint256 deadline)";

const EIP712_DOMAIN_FIELDS = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
];

const TYPES = { AccessRequest: ACCESS_REQUEST_TYPES, Endorsement: ENDORSEMENT_TYPES };
type PrimaryType = keyof typeof TYPES;

/** Order of the secp256k1 group: `s` and `n - s` both verify, and only the lower one is accepted. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const ECRECOVER = "0x0000000000000000000000000000000000000001";

type EndorsementValues = { requestHash: string; supervisor: string; deadline: number };

/**
 * Three contract wallets of the bureau, all owned by one EOA: an INVESTIGATOR and a SUPERVISOR that approve their
 * owner's signatures, and one holding both roles that refuses every signature.
 */
async function signatureScenario() {
  const scenario = await consortiumScenario();
  const { consortium, organizations, signers, governance } = scenario;
  const walletOwner = (await ethers.getSigners())[13];
  const factory = new ERC1271WalletMock__factory(governance);
  const requesterWallet = await factory.deploy(walletOwner.address, true);
  const supervisorWallet = await factory.deploy(walletOwner.address, true);
  const refusingWallet = await factory.deploy(walletOwner.address, false);
  const bureau = consortium.connect(signers.bureauAdmin);
  await bureau.addMember(organizations.bureauId, requesterWallet, roleMask(Role.INVESTIGATOR));
  await bureau.addMember(organizations.bureauId, supervisorWallet, roleMask(Role.SUPERVISOR));
  await bureau.addMember(organizations.bureauId, refusingWallet, roleMask(Role.INVESTIGATOR, Role.SUPERVISOR));
  return { ...scenario, wallets: { owner: walletOwner, requesterWallet, supervisorWallet, refusingWallet } };
}

type SignatureScenario = Awaited<ReturnType<typeof signatureScenario>>;

const privateKeys = new Map<string, string>();

/** The private key of a Hardhat network account, derived from the configured mnemonic (m/44'/60'/0'/0/i). */
function privateKeyOf(address: string): Buffer {
  if (privateKeys.size === 0) {
    const accounts = network.config.accounts as HardhatNetworkAccountsConfig;
    const keys = Array.isArray(accounts)
      ? accounts.map((account) => account.privateKey)
      : Array.from(
          { length: accounts.count },
          (_, i) =>
            ethers.HDNodeWallet.fromPhrase(
              accounts.mnemonic,
              accounts.passphrase,
              `${accounts.path}/${accounts.initialIndex + i}`,
            ).privateKey,
        );
    for (const key of keys) privateKeys.set(new ethers.Wallet(key).address, key);
  }
  const key = privateKeys.get(ethers.getAddress(address));
  if (key === undefined) throw new Error(`${address} is not an account of the Hardhat network`);
  return Buffer.from(ethers.getBytes(key));
}

/** The JSON payload a dapp sends with `eth_signTypedData_v4`: EIP712Domain listed, numbers as strings. */
function metaMaskTypedData(domain: TypedDataDomain, primaryType: PrimaryType, message: object) {
  const payload = JSON.stringify(
    {
      types: { EIP712Domain: EIP712_DOMAIN_FIELDS, ...TYPES[primaryType] },
      primaryType,
      domain: { ...domain, chainId: Number(domain.chainId) },
      message,
    },
    (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
  );
  return JSON.parse(payload) as TypedMessage<MessageTypes>;
}

/** Signs as MetaMask does for `eth_signTypedData_v4`. */
function signWithMetaMask(
  privateKey: Buffer,
  domain: TypedDataDomain,
  primaryType: PrimaryType,
  message: object,
): string {
  return signTypedData({
    privateKey,
    data: metaMaskTypedData(domain, primaryType, message),
    version: SignTypedDataVersion.V4,
  });
}

/** The same signature with `s` replaced by `n - s` and `v` flipped: valid for ecrecover, refused by OpenZeppelin. */
function toHighS(signature: string): string {
  const { r, s, v } = ethers.Signature.from(signature);
  return ethers.concat([r, ethers.toBeHex(SECP256K1_N - BigInt(s), 32), ethers.toBeHex(v === 27 ? 28 : 27, 1)]);
}

/** What the ecrecover precompile returns for a 65-byte signature (no low-s rule there). */
async function ecrecover(digest: string, signature: string): Promise<string> {
  const bytes = ethers.getBytes(signature);
  const input = ethers.concat([digest, ethers.toBeHex(bytes[64], 32), bytes.slice(0, 32), bytes.slice(32, 64)]);
  const output = await ethers.provider.call({ to: ECRECOVER, data: input });
  return ethers.getAddress(ethers.dataSlice(output, 12));
}

type Party = "requester" | "supervisor" | "stranger";

/** Who signs in a variant: the requester and supervisor accounts named in the typed data, and how they sign. */
type SigningParties = {
  requester: string;
  supervisor: string;
  /** `stranger` signs with a key that is neither the requester's nor the supervisor's. */
  sign(party: Party, domain: TypedDataDomain, primaryType: PrimaryType, message: object): Promise<string>;
  /** A signer sending transactions from the requester's address. */
  requesterSender(): Promise<Signer>;
};

const variants: { name: string; parties(scenario: SignatureScenario): SigningParties }[] = [
  {
    name: "an EOA through ethers signTypedData",
    parties: ({ signers }) => {
      const accounts = { requester: signers.investigator, supervisor: signers.supervisor, stranger: signers.outsider };
      return {
        requester: signers.investigator.address,
        supervisor: signers.supervisor.address,
        sign: (party, domain, primaryType, message) =>
          accounts[party].signTypedData(domain, TYPES[primaryType], message as Record<string, unknown>),
        requesterSender: async () => signers.investigator,
      };
    },
  },
  {
    name: "an EOA through MetaMask eth-sig-util signTypedData V4",
    parties: ({ signers }) => {
      const accounts = { requester: signers.investigator, supervisor: signers.supervisor, stranger: signers.outsider };
      return {
        requester: signers.investigator.address,
        supervisor: signers.supervisor.address,
        sign: async (party, domain, primaryType, message) =>
          signWithMetaMask(privateKeyOf(accounts[party].address), domain, primaryType, message),
        requesterSender: async () => signers.investigator,
      };
    },
  },
  {
    name: "an ERC-1271 contract wallet",
    parties: ({ signers, wallets }) => {
      const keys = { requester: wallets.owner, supervisor: wallets.owner, stranger: signers.outsider };
      return {
        requester: wallets.requesterWallet.target as string,
        supervisor: wallets.supervisorWallet.target as string,
        sign: (party, domain, primaryType, message) =>
          keys[party].signTypedData(domain, TYPES[primaryType], message as Record<string, unknown>),
        requesterSender: async () => {
          const address = wallets.requesterWallet.target as string;
          await setBalance(address, ethers.parseEther("1"));
          return ethers.getImpersonatedSigner(address);
        },
      };
    },
  },
];

describe("AccessGrants signatures", function () {
  for (const variant of variants) {
    describe(`signed by ${variant.name}`, function () {
      async function setUp() {
        const scenario = await loadFixture(signatureScenario);
        const parties = variant.parties(scenario);
        const domain = await accessGrantsDomain(scenario.accessGrants);
        const relayed = scenario.accessGrants.connect(scenario.signers.relayer);
        return { ...scenario, parties, domain, relayed };
      }

      type SetUp = Awaited<ReturnType<typeof setUp>>;

      function requestOf(context: SetUp, overrides: Partial<AccessRequestValues> = {}) {
        return buildAccessRequest(context, { requester: context.parties.requester, ...overrides });
      }

      /** A request for bank transfers (endorsement required), signed and relayed. */
      async function submittedTransfersRequest(context: SetUp) {
        const request = await requestOf(context, { sourceId: context.sources.transfers });
        const signature = await context.parties.sign("requester", context.domain, "AccessRequest", request);
        await context.relayed.submitSignedRequest(request, signature);
        return { request, requestId: await context.accessGrants.requestIdOf(request) };
      }

      async function endorsementOf(context: SetUp, request: AccessRequestValues): Promise<EndorsementValues> {
        return {
          requestHash: await context.accessGrants.hashAccessRequest(request),
          supervisor: context.parties.supervisor,
          deadline: (await time.latest()) + HOUR,
        };
      }

      describe("requests", function () {
        it("should accept a request relayed by anyone", async function () {
          const context = await setUp();
          const { accessGrants, parties, domain, relayed, signers, organizations } = context;
          const request = await requestOf(context);
          const requestId = ethers.TypedDataEncoder.hash(domain, ACCESS_REQUEST_TYPES, request);
          const signature = await parties.sign("requester", domain, "AccessRequest", request);

          expect(await relayed.submitSignedRequest.staticCall(request, signature)).to.equal(requestId);
          await expect(relayed.submitSignedRequest(request, signature))
            .to.emit(accessGrants, "AccessRequested")
            .withArgs(
              requestId,
              parties.requester,
              request.caseRef,
              isAccessRequest(request),
              organizations.bureauId,
              organizations.telecomId,
              false,
              signers.relayer.address,
            );
          expect(await accessGrants.nonces(parties.requester)).to.equal(1n);
        });

        it("should accept a request submitted exactly at its deadline", async function () {
          const context = await setUp();
          const request = await requestOf(context);
          const signature = await context.parties.sign("requester", context.domain, "AccessRequest", request);
          await time.setNextBlockTimestamp(request.deadline);
          await expect(context.relayed.submitSignedRequest(request, signature)).to.emit(
            context.accessGrants,
            "AccessRequested",
          );
        });

        it("should revert when a request is submitted after its deadline", async function () {
          const context = await setUp();
          const request = await requestOf(context);
          const signature = await context.parties.sign("requester", context.domain, "AccessRequest", request);
          await time.setNextBlockTimestamp(request.deadline + 1);
          await expect(context.relayed.submitSignedRequest(request, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsSignatureExpired")
            .withArgs(request.deadline);
        });

        const foreignDomains: { name: string; domain: (context: SetUp) => Promise<TypedDataDomain> }[] = [
          { name: "another chain id", domain: async ({ domain }) => ({ ...domain, chainId: 1n }) },
          {
            name: "another verifying contract",
            domain: async ({ domain, attestations }) => ({
              ...domain,
              verifyingContract: await attestations.getAddress(),
            }),
          },
          { name: "another domain name", domain: async ({ domain }) => ({ ...domain, name: "dxl AccessGrant" }) },
          { name: "another domain version", domain: async ({ domain }) => ({ ...domain, version: "2" }) },
        ];
        for (const { name, domain } of foreignDomains) {
          it(`should revert when a request was signed for ${name}`, async function () {
            const context = await setUp();
            const request = await requestOf(context);
            const signature = await context.parties.sign("requester", await domain(context), "AccessRequest", request);
            await expect(context.relayed.submitSignedRequest(request, signature))
              .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsInvalidSignature")
              .withArgs(context.parties.requester);
          });
        }

        it("should revert when a signed request is replayed", async function () {
          const context = await setUp();
          const request = await requestOf(context);
          const signature = await context.parties.sign("requester", context.domain, "AccessRequest", request);
          await context.relayed.submitSignedRequest(request, signature);
          await expect(context.relayed.submitSignedRequest(request, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsRequestAlreadySubmitted")
            .withArgs(await context.accessGrants.requestIdOf(request));
        });

        it("should revert when the request's nonce was cancelled with increaseNonce", async function () {
          const context = await setUp();
          const { accessGrants, parties } = context;
          const request = await requestOf(context);
          const signature = await parties.sign("requester", context.domain, "AccessRequest", request);
          const sender = await parties.requesterSender();
          await expect(accessGrants.connect(sender).increaseNonce(1))
            .to.emit(accessGrants, "NonceIncreased")
            .withArgs(parties.requester, 0, 1);
          await expect(context.relayed.submitSignedRequest(request, signature))
            .to.be.revertedWithCustomError(accessGrants, "InvalidAccountNonce")
            .withArgs(parties.requester, 1);
        });

        it("should revert when the request's nonce is not the requester's current one", async function () {
          const context = await setUp();
          const request = await requestOf(context, { nonce: 1n });
          const signature = await context.parties.sign("requester", context.domain, "AccessRequest", request);
          await expect(context.relayed.submitSignedRequest(request, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "InvalidAccountNonce")
            .withArgs(context.parties.requester, 0);
        });

        it("should revert when a request's signature is malleated to high s", async function () {
          const context = await setUp();
          const request = await requestOf(context);
          const digest = await context.accessGrants.requestIdOf(request);
          const signature = await context.parties.sign("requester", context.domain, "AccessRequest", request);
          const malleated = toHighS(signature);
          expect(await ecrecover(digest, malleated)).to.equal(await ecrecover(digest, signature));
          await expect(context.relayed.submitSignedRequest(request, malleated))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsInvalidSignature")
            .withArgs(context.parties.requester);
        });

        it("should revert when a request is signed by another key", async function () {
          const context = await setUp();
          const request = await requestOf(context);
          const signature = await context.parties.sign("stranger", context.domain, "AccessRequest", request);
          await expect(context.relayed.submitSignedRequest(request, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsInvalidSignature")
            .withArgs(context.parties.requester);
        });

        it("should revert when a request is altered after signing", async function () {
          const context = await setUp();
          const request = await requestOf(context);
          const signature = await context.parties.sign("requester", context.domain, "AccessRequest", request);
          await expect(context.relayed.submitSignedRequest({ ...request, maxDeliveries: 50 }, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsInvalidSignature")
            .withArgs(context.parties.requester);
        });
      });

      describe("endorsements", function () {
        it("should accept an endorsement relayed by anyone, after which the holder may approve", async function () {
          const context = await setUp();
          const { accessGrants, parties, signers } = context;
          const { request, requestId } = await submittedTransfersRequest(context);
          const endorsement = await endorsementOf(context, request);
          const signature = await parties.sign("supervisor", context.domain, "Endorsement", endorsement);

          expect(await accessGrants.endorsementDigest(endorsement)).to.equal(
            ethers.TypedDataEncoder.hash(context.domain, ENDORSEMENT_TYPES, endorsement),
          );
          await expect(context.relayed.endorseBySignature(endorsement, signature))
            .to.emit(accessGrants, "RequestEndorsed")
            .withArgs(requestId, parties.supervisor, true, signers.relayer.address);
          await expect(accessGrants.connect(signers.bankSteward).approve(requestId))
            .to.emit(accessGrants, "RequestApproved")
            .withArgs(requestId, signers.bankSteward.address);
        });

        it("should revert when an endorsement is submitted after its deadline", async function () {
          const context = await setUp();
          const { request } = await submittedTransfersRequest(context);
          const endorsement = await endorsementOf(context, request);
          const signature = await context.parties.sign("supervisor", context.domain, "Endorsement", endorsement);
          await time.setNextBlockTimestamp(endorsement.deadline + 1);
          await expect(context.relayed.endorseBySignature(endorsement, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsSignatureExpired")
            .withArgs(endorsement.deadline);
        });

        it("should revert when an endorsement was signed for another chain id", async function () {
          const context = await setUp();
          const { request } = await submittedTransfersRequest(context);
          const endorsement = await endorsementOf(context, request);
          const domain = { ...context.domain, chainId: 1n };
          const signature = await context.parties.sign("supervisor", domain, "Endorsement", endorsement);
          await expect(context.relayed.endorseBySignature(endorsement, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsInvalidSignature")
            .withArgs(context.parties.supervisor);
        });

        it("should revert when an endorsement is signed by another key", async function () {
          const context = await setUp();
          const { request } = await submittedTransfersRequest(context);
          const endorsement = await endorsementOf(context, request);
          const signature = await context.parties.sign("stranger", context.domain, "Endorsement", endorsement);
          await expect(context.relayed.endorseBySignature(endorsement, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsInvalidSignature")
            .withArgs(context.parties.supervisor);
        });

        it("should revert when an endorsement's signature is malleated to high s", async function () {
          const context = await setUp();
          const { request } = await submittedTransfersRequest(context);
          const endorsement = await endorsementOf(context, request);
          const digest = await context.accessGrants.endorsementDigest(endorsement);
          const signature = await context.parties.sign("supervisor", context.domain, "Endorsement", endorsement);
          const malleated = toHighS(signature);
          expect(await ecrecover(digest, malleated)).to.equal(await ecrecover(digest, signature));
          await expect(context.relayed.endorseBySignature(endorsement, malleated))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsInvalidSignature")
            .withArgs(context.parties.supervisor);
        });

        it("should revert when an endorsement is moved to another request after signing", async function () {
          const context = await setUp();
          const { request } = await submittedTransfersRequest(context);
          const other = await submittedTransfersRequest(context);
          const endorsement = await endorsementOf(context, request);
          const signature = await context.parties.sign("supervisor", context.domain, "Endorsement", endorsement);
          const moved = { ...endorsement, requestHash: await context.accessGrants.hashAccessRequest(other.request) };
          await expect(context.relayed.endorseBySignature(moved, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsInvalidSignature")
            .withArgs(context.parties.supervisor);
        });

        it("should revert when a signed endorsement is replayed", async function () {
          const context = await setUp();
          const { request, requestId } = await submittedTransfersRequest(context);
          const endorsement = await endorsementOf(context, request);
          const signature = await context.parties.sign("supervisor", context.domain, "Endorsement", endorsement);
          await context.relayed.endorseBySignature(endorsement, signature);
          await expect(context.relayed.endorseBySignature(endorsement, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsAlreadyEndorsed")
            .withArgs(requestId);
        });

        it("should revert when an endorsement names a request never submitted", async function () {
          const context = await setUp();
          const request = await requestOf(context, { sourceId: context.sources.transfers });
          const endorsement = await endorsementOf(context, request);
          const signature = await context.parties.sign("supervisor", context.domain, "Endorsement", endorsement);
          await expect(context.relayed.endorseBySignature(endorsement, signature))
            .to.be.revertedWithCustomError(context.accessGrants, "AccessGrantsUnknownRequest")
            .withArgs(ethers.TypedDataEncoder.hash(context.domain, ACCESS_REQUEST_TYPES, request));
        });
      });
    });
  }

  describe("ERC-1271 wallets that refuse", function () {
    it("should revert when a wallet refuses its owner's signature of a request", async function () {
      const scenario = await loadFixture(signatureScenario);
      const { accessGrants, wallets, signers } = scenario;
      const request = await buildAccessRequest(scenario, { requester: wallets.refusingWallet.target as string });
      const signature = await wallets.owner.signTypedData(
        await accessGrantsDomain(accessGrants),
        ACCESS_REQUEST_TYPES,
        request,
      );
      await expect(accessGrants.connect(signers.relayer).submitSignedRequest(request, signature))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsInvalidSignature")
        .withArgs(wallets.refusingWallet.target);
    });

    it("should revert when a wallet refuses its owner's signature of an endorsement", async function () {
      const scenario = await loadFixture(signatureScenario);
      const { accessGrants, wallets, signers, sources } = scenario;
      const request = await buildAccessRequest(scenario, { sourceId: sources.transfers });
      await accessGrants.connect(signers.investigator).submitRequest(request);
      const endorsement = {
        requestHash: await accessGrants.hashAccessRequest(request),
        supervisor: wallets.refusingWallet.target as string,
        deadline: (await time.latest()) + HOUR,
      };
      const signature = await wallets.owner.signTypedData(
        await accessGrantsDomain(accessGrants),
        ENDORSEMENT_TYPES,
        endorsement,
      );
      await expect(accessGrants.connect(signers.relayer).endorseBySignature(endorsement, signature))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsInvalidSignature")
        .withArgs(wallets.refusingWallet.target);
    });

    it("should follow the wallet's answer at submission, not at signing", async function () {
      const scenario = await loadFixture(signatureScenario);
      const { accessGrants, wallets, signers } = scenario;
      const request = await buildAccessRequest(scenario, { requester: wallets.requesterWallet.target as string });
      const signature = await wallets.owner.signTypedData(
        await accessGrantsDomain(accessGrants),
        ACCESS_REQUEST_TYPES,
        request,
      );
      const relayed = accessGrants.connect(signers.relayer);
      await wallets.requesterWallet.setApproves(false);
      await expect(relayed.submitSignedRequest(request, signature))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsInvalidSignature")
        .withArgs(wallets.requesterWallet.target);
      await wallets.requesterWallet.setApproves(true);
      await expect(relayed.submitSignedRequest(request, signature)).to.emit(accessGrants, "AccessRequested");
    });
  });

  describe("nonces", function () {
    it("should move a nonce forward, cancel every lower nonce, and accept the new one", async function () {
      const scenario = await loadFixture(signatureScenario);
      const { accessGrants, signers } = scenario;
      const domain = await accessGrantsDomain(accessGrants);
      const relayed = accessGrants.connect(signers.relayer);
      const cancelled = await buildAccessRequest(scenario, { nonce: 3n });
      const cancelledSignature = await signers.investigator.signTypedData(domain, ACCESS_REQUEST_TYPES, cancelled);

      await expect(accessGrants.connect(signers.investigator).increaseNonce(5))
        .to.emit(accessGrants, "NonceIncreased")
        .withArgs(signers.investigator.address, 0, 5);
      expect(await accessGrants.nonces(signers.investigator.address)).to.equal(5n);
      expect(await accessGrants.nonces(signers.secondInvestigator.address)).to.equal(0n);

      await expect(relayed.submitSignedRequest(cancelled, cancelledSignature))
        .to.be.revertedWithCustomError(accessGrants, "InvalidAccountNonce")
        .withArgs(signers.investigator.address, 5);
      const current = await buildAccessRequest(scenario);
      expect(current.nonce).to.equal(5n);
      const currentSignature = await signers.investigator.signTypedData(domain, ACCESS_REQUEST_TYPES, current);
      await expect(relayed.submitSignedRequest(current, currentSignature)).to.emit(accessGrants, "AccessRequested");
      expect(await accessGrants.nonces(signers.investigator.address)).to.equal(6n);
    });

    it("should consume the nonce of a directly submitted request", async function () {
      const scenario = await loadFixture(signatureScenario);
      const { accessGrants, signers } = scenario;
      const domain = await accessGrantsDomain(accessGrants);
      const signed = await buildAccessRequest(scenario, { caseRef: ethers.id("case:signed") });
      const signature = await signers.investigator.signTypedData(domain, ACCESS_REQUEST_TYPES, signed);
      await accessGrants.connect(signers.investigator).submitRequest(await buildAccessRequest(scenario));
      await expect(accessGrants.connect(signers.relayer).submitSignedRequest(signed, signature))
        .to.be.revertedWithCustomError(accessGrants, "InvalidAccountNonce")
        .withArgs(signers.investigator.address, 1);
    });

    it("should revert when a nonce increase does not move forward", async function () {
      const { accessGrants, signers } = await loadFixture(signatureScenario);
      const investigator = accessGrants.connect(signers.investigator);
      await expect(investigator.increaseNonce(0))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsInvalidNonceIncrease")
        .withArgs(0, 0);
      await investigator.increaseNonce(5);
      for (const newNonce of [5, 4]) {
        await expect(investigator.increaseNonce(newNonce))
          .to.be.revertedWithCustomError(accessGrants, "AccessGrantsInvalidNonceIncrease")
          .withArgs(5, newNonce);
      }
    });

    it("should revert when a nonce increase jumps further than MAX_NONCE_INCREASE, and allow exactly that far", async function () {
      const { accessGrants, signers } = await loadFixture(signatureScenario);
      const investigator = accessGrants.connect(signers.investigator);
      const maxIncrease = await accessGrants.MAX_NONCE_INCREASE();
      expect(maxIncrease).to.equal(256n);
      await expect(investigator.increaseNonce(maxIncrease + 1n))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsInvalidNonceIncrease")
        .withArgs(0, maxIncrease + 1n);
      await expect(investigator.increaseNonce(maxIncrease))
        .to.emit(accessGrants, "NonceIncreased")
        .withArgs(signers.investigator.address, 0, maxIncrease);
      expect(await accessGrants.nonces(signers.investigator.address)).to.equal(maxIncrease);
    });
  });

  describe("typed data wire format", function () {
    const source = fs.readFileSync(
      path.resolve(__dirname, "../../contracts/utils/AccessRequestSignatures.sol"),
      "utf8",
    );

    it("should declare the DESIGN.md type strings verbatim in AccessRequestSignatures.sol", function () {
      expect(source).to.include(`"${ACCESS_REQUEST_TYPE}"`);
      expect(source).to.include(`"${ENDORSEMENT_TYPE}"`);
    });

    it("should describe the same types in the shared test typings as in DESIGN.md", function () {
      expect(ethers.TypedDataEncoder.from(ACCESS_REQUEST_TYPES).encodeType("AccessRequest")).to.equal(
        ACCESS_REQUEST_TYPE,
      );
      expect(ethers.TypedDataEncoder.from(ENDORSEMENT_TYPES).encodeType("Endorsement")).to.equal(ENDORSEMENT_TYPE);
      expect(ethers.id(ACCESS_REQUEST_TYPE)).to.equal(
        ethers.id(ethers.TypedDataEncoder.from(ACCESS_REQUEST_TYPES).encodeType("AccessRequest")),
      );
      expect(ethers.id(ENDORSEMENT_TYPE)).to.equal(
        ethers.id(ethers.TypedDataEncoder.from(ENDORSEMENT_TYPES).encodeType("Endorsement")),
      );
      expect(TypedDataUtils.encodeType("AccessRequest", TYPES.AccessRequest)).to.equal(ACCESS_REQUEST_TYPE);
      expect(TypedDataUtils.encodeType("Endorsement", TYPES.Endorsement)).to.equal(ENDORSEMENT_TYPE);
    });

    it("should hash a request with the keccak of the AccessRequest type string", async function () {
      const scenario = await loadFixture(signatureScenario);
      const request = await buildAccessRequest(scenario);
      const encoded = ethers.AbiCoder.defaultAbiCoder().encode(
        [
          "bytes32",
          "address",
          "bytes32",
          "bytes32",
          "bytes32",
          "uint8",
          "uint64",
          "uint64",
          "uint32",
          "uint256",
          "uint256",
        ],
        [
          ethers.id(ACCESS_REQUEST_TYPE),
          request.requester,
          request.sourceId,
          request.caseRef,
          request.scopeHash,
          request.purpose,
          request.notBefore,
          request.notAfter,
          request.maxDeliveries,
          request.nonce,
          request.deadline,
        ],
      );
      expect(await scenario.accessGrants.hashAccessRequest(request)).to.equal(ethers.keccak256(encoded));
    });

    it("should digest an endorsement with the keccak of the Endorsement type string under the domain", async function () {
      const scenario = await loadFixture(signatureScenario);
      const { accessGrants, signers } = scenario;
      const endorsement = {
        requestHash: ethers.id("request-hash"),
        supervisor: signers.supervisor.address,
        deadline: (await time.latest()) + HOUR,
      };
      const structHash = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "bytes32", "address", "uint256"],
          [ethers.id(ENDORSEMENT_TYPE), endorsement.requestHash, endorsement.supervisor, endorsement.deadline],
        ),
      );
      const domainSeparator = ethers.TypedDataEncoder.hashDomain(await accessGrantsDomain(accessGrants));
      expect(await accessGrants.endorsementDigest(endorsement)).to.equal(
        ethers.keccak256(ethers.concat(["0x1901", domainSeparator, structHash])),
      );
    });

    it("should agree with MetaMask eth-sig-util on request ids and endorsement digests", async function () {
      const scenario = await loadFixture(signatureScenario);
      const { accessGrants, signers } = scenario;
      const domain = await accessGrantsDomain(accessGrants);
      const metaMaskHash = (primaryType: PrimaryType, message: object) =>
        ethers.hexlify(
          TypedDataUtils.eip712Hash(metaMaskTypedData(domain, primaryType, message), SignTypedDataVersion.V4),
        );
      const request = await buildAccessRequest(scenario);
      const endorsement = {
        requestHash: await accessGrants.hashAccessRequest(request),
        supervisor: signers.supervisor.address,
        deadline: (await time.latest()) + HOUR,
      };
      expect(await accessGrants.requestIdOf(request)).to.equal(metaMaskHash("AccessRequest", request));
      expect(await accessGrants.endorsementDigest(endorsement)).to.equal(metaMaskHash("Endorsement", endorsement));
    });

    it("should publish its EIP-712 domain (EIP-5267) as dxl AccessGrants version 1", async function () {
      const { accessGrants } = await loadFixture(signatureScenario);
      const domain = await accessGrantsDomain(accessGrants);
      const published = await accessGrants.eip712Domain();
      expect([
        published.fields,
        published.name,
        published.version,
        published.chainId,
        published.verifyingContract,
      ]).to.deep.equal(["0x0f", "dxl AccessGrants", "1", domain.chainId, domain.verifyingContract]);
    });
  });
});
