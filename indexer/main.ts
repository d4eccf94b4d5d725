import { runIndexerCommand } from "./cli";

runIndexerCommand(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`dxl indexer: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
