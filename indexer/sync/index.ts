export { createSync } from "./sync";
export type { Sync, SyncDependencies, SyncOptions } from "./sync";
export { DeploymentMismatchError, ReorgBeyondFinalityError } from "./errors";
export { confirmationsOf } from "./finality";
export type { Finality } from "./finality";
