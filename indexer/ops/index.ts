/** The operations layer: structured logs, backfill progress, Prometheus metrics and the health endpoints. */
export { createLogger, redactUrl, redactUrlsInText } from "./logger";
export type { Logger, LoggerOptions } from "./logger";
export { createIndexerMetrics } from "./metrics";
export type { IndexerMetrics } from "./metrics";
export { createProgressReporter } from "./progress";
export type { ProgressReporter, ProgressReporterOptions } from "./progress";
export { startOpsServer } from "./http-server";
export { close, listen, urlOf } from "./listening";
export type { OpsServer, OpsServerOptions } from "./http-server";
export type { BatchReport, IndexerStatus, ReorgReport, SyncObserver } from "./types";
