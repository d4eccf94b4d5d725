import { runApiCommand } from "./cli";

runApiCommand(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`dxl api: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
