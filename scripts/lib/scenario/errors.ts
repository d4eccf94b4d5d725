/** Thrown when a scenario cannot be seeded as asked; the message says what to change. */
export class ScenarioError extends Error {
  override name = "ScenarioError";
}
