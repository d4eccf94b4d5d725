/**
 * Synthetic identifiers shaped like the real ones, check digits included, so the records read like an operator's
 * or a bank's export: phone numbers (MSISDN), SIM (IMSI) and handset (IMEI) identities, IBAN-style account numbers.
 * None belongs to anyone: all are drawn from the scenario's seed.
 */
import type { Random } from "./random";

/** Mobile network code prefixes of the synthetic operator's numbers. */
const MSISDN_PREFIXES = ["138", "139", "150", "158", "186", "188"] as const;

/** A mobile number in E.164 form: `+86` and 11 digits. */
export function drawMsisdn(random: Random): string {
  return `+86${random.pick(MSISDN_PREFIXES)}${random.digits(8)}`;
}

/** A SIM identity: mobile country code 460, network code 00, 10 digits. */
export function drawImsi(random: Random): string {
  return `46000${random.digits(10)}`;
}

/** A handset identity: an 8-digit type allocation code, a 6-digit serial and the Luhn check digit. */
export function drawImei(random: Random): string {
  const body = `35${random.digits(12)}`;
  return `${body}${luhnCheckDigit(body)}`;
}

/**
 * An account number in IBAN form (ISO 13616): country, two mod-97 check digits, then the bank's code and the
 * account. "CN" has no IBAN registry entry; the form is what matters to the demo.
 */
export function drawIban(random: Random, bankCode: string): string {
  const basicAccountNumber = `${bankCode}${random.digits(16)}`;
  return `CN${ibanCheckDigits("CN", basicAccountNumber)}${basicAccountNumber}`;
}

/** The digit that makes `digits` followed by it pass the Luhn check. */
function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let position = 0; position < digits.length; position++) {
    // Doubling starts at the rightmost digit of the body, which sits just left of the check digit.
    let digit = Number(digits[digits.length - 1 - position]);
    if (position % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** ISO 7064 mod 97-10 check digits of an IBAN with `country` and `basicAccountNumber` (digits only). */
function ibanCheckDigits(country: string, basicAccountNumber: string): string {
  const letters = [...country].map((letter) => String(letter.charCodeAt(0) - 55)).join("");
  let remainder = 0;
  for (const digit of `${basicAccountNumber}${letters}00`) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(98 - remainder).padStart(2, "0");
}
