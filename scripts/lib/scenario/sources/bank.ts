/** The bank's sources: its customers' accounts, and the transfers between them. */
import { date, instant, oneOf, PATTERNS, recordSchema, text } from "../json-schema";
import { isoDate, isoInstant, momentIn, residentOf } from "../source-plan";
import type { RecordContext, SourcePlan } from "../source-plan";

const SCHEMA_BASE = "https://city-bank.example/schemas";
const DAY = 86_400;
const BRANCHES = ["Central", "West Lake", "Riverside", "Airport", "Harbour"] as const;

/** The bank's account register: one current account per customer, with the phone on file. */
export const accounts: SourcePlan = {
  name: "accounts",
  holder: "bank",
  sensitivity: 2,
  endorsementRequired: true,
  share: 0.05,
  isRegister: true,
  subjectField: "accountNumber",
  schema: recordSchema(`${SCHEMA_BASE}/accounts.json`, "Account", "A customer's account at City Commercial Bank.", {
    accountNumber: text("the account number, IBAN form", PATTERNS.iban),
    customerId: text("the bank's customer number"),
    holderType: oneOf("who holds the account", ["personal", "business"]),
    currency: oneOf("the account's currency, ISO 4217", ["CNY"]),
    openedOn: date("the day the account was opened"),
    status: oneOf("the account's status", ["open", "frozen", "closed"]),
    branch: oneOf("the branch keeping the account", BRANCHES),
    linkedMsisdn: text("the phone number on file", PATTERNS.msisdn),
  }),
  drawRecord(context) {
    const resident = residentOf(context, true);
    const { random, period } = context;
    return {
      accountNumber: resident.iban,
      customerId: resident.customerId,
      holderType: random.chance(0.9) ? "personal" : "business",
      currency: "CNY",
      openedOn: isoDate(period.start - random.between(10, 5_000) * DAY),
      status: random.chance(0.95) ? "open" : random.chance(0.5) ? "frozen" : "closed",
      branch: random.pick(BRANCHES),
      linkedMsisdn: resident.msisdn,
    };
  },
};

/** Booked transfers between accounts of the bank. */
export const transfers: SourcePlan = {
  name: "transfers",
  holder: "bank",
  sensitivity: 3,
  endorsementRequired: true,
  share: 0.15,
  isRegister: false,
  subjectField: "debitAccount",
  schema: recordSchema(`${SCHEMA_BASE}/transfers.json`, "Transfer", "A booked transfer between two accounts.", {
    transferId: text("the transfer's id in the core banking system"),
    debitAccount: text("the account debited", PATTERNS.iban),
    creditAccount: text("the account credited", PATTERNS.iban),
    amount: text("the amount, two decimals", PATTERNS.amount),
    currency: oneOf("the currency, ISO 4217", ["CNY"]),
    bookedAt: instant("when the transfer was booked"),
    channel: oneOf("how it was ordered", ["mobile", "online", "branch", "atm"]),
    reference: text("the payer's reference"),
  }),
  drawRecord(context) {
    const { random, population } = context;
    return {
      transferId: `TRF-${String(context.sourceIndex).padStart(10, "0")}`,
      debitAccount: residentOf(context, false).iban,
      creditAccount: random.pick(population.residents).iban,
      amount: transferAmount(context),
      currency: "CNY",
      bookedAt: isoInstant(momentIn(context)),
      channel: random.pick(["mobile", "mobile", "mobile", "online", "branch", "atm"]),
      reference: random.pick(["rent", "invoice", "loan repayment", "gift", "salary", "goods"]),
    };
  },
};

/** Mostly everyday sums, now and then a large one; in yuan with fen. */
function transferAmount({ random }: RecordContext): string {
  const yuan = random.chance(0.9) ? random.between(10, 5_000) : random.between(5_001, 500_000);
  return `${yuan}.${random.digits(2)}`;
}
