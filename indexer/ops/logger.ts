/**
 * The indexer's structured log: one JSON object per line (`msg` plus snake_case fields), for machines to collect.
 * Lines go to stdout by default, where container runtimes and log shippers read them; the progress bar writes to
 * stderr, so `indexer | jq` stays pure JSON while a human at the terminal still sees the bar.
 *
 * Every line is redacted as it leaves pino, after serializers, bindings and message formatting: fields named like
 * a secret are masked and every URL anywhere in a string loses its credentials and query, so no code path (a child
 * logger's bindings, an error's message or stack, the message itself) can print a password or key.
 */
import { pino } from "pino";
import type { DestinationStream, LevelWithSilent, Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where lines go; defaults to stdout, written synchronously so the lines before a fatal exit are not lost. */
  destination?: DestinationStream;
}

/** What replaces a secret field's value. */
export const REDACTED = "[REDACTED]";

/** Field names whose values are secrets whatever their shape (camelCase, snake_case or upper case). */
const SECRET_FIELD = /pass(word|phrase)|private_?key|secret|mnemonic|api_?key|authorization|credential/i;

/** A URL with a scheme inside free text; it ends at whitespace or a quote, and not on the sentence's punctuation. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]*[^\s"'<>.,;:!?)\]}]/gi;

/** Creates the JSON-lines logger; level names (not numbers) and ISO times so a line reads without a decoder. */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: redactLogLine },
    },
    destination,
  );
}

/**
 * The URL without userinfo, query or fragment: where providers put passwords, API keys and tokens. The user name
 * goes too, since token schemes (`https://TOKEN@host`) put the secret there. Unparseable input is withheld whole.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    parsed.hash = "";
    return parsed.href;
  } catch {
    return REDACTED;
  }
}

/** Free text with every URL in it passed through {@link redactUrl}, for error messages that quote an endpoint. */
export function redactUrlsInText(text: string): string {
  return text.replace(URL_IN_TEXT, redactUrl);
}

/** One serialized log line, redacted; pino guarantees the line is a JSON object. */
function redactLogLine(line: string): string {
  return `${JSON.stringify(redactValue(JSON.parse(line)))}\n`;
}

/** A parsed JSON value with secret fields masked and URLs in strings redacted, at any depth. */
function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactUrlsInText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, SECRET_FIELD.test(key) ? REDACTED : redactValue(field)]),
  );
}
