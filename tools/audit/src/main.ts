// Must come first: makes the workspace aliases (@smilepay/...) resolvable when run from source with ts-node.
import './register-paths';
import { runCli } from './cli/run-cli';

runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, errIsTty: process.stderr.isTTY === true }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
