/** The chain reorganized below the blocks the indexer treats as final: its data can no longer be trusted. */
export class ReorgBeyondFinalityError extends Error {
  constructor(
    readonly indexedBlock: number,
    readonly finalizedBlock: number,
    readonly commonAncestor: number | null,
  ) {
    const reach = commonAncestor === null ? "below every block kept" : `to block ${commonAncestor}`;
    super(
      `the chain reorganized ${reach}, past the finalized block ${finalizedBlock} (indexed up to ${indexedBlock}); ` +
        "raise the finality setting or re-index from scratch",
    );
    this.name = "ReorgBeyondFinalityError";
  }
}

/** The database holds an index of other contracts than the deployment names. */
export class DeploymentMismatchError extends Error {
  constructor(indexed: string[], configured: string[]) {
    super(
      `the database indexes contracts ${indexed.join(", ")} but the deployment names ${configured.join(", ")}; ` +
        "use another database (or data folder) for another deployment",
    );
    this.name = "DeploymentMismatchError";
  }
}
