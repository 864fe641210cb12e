// `npm run dlq -- <command>`: inspect and redrive the dead-letter queues (see README.md).
// Region, endpoint and credentials come from the standard AWS environment, so the same command
// works against the local stack and against AWS.
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '@notify/shared';
import { parseArguments, USAGE, UsageError } from './src/arguments.ts';
import { runCommand } from './src/commands.ts';
import { DlqError } from './src/sqs-errors.ts';

let command;
try {
  command = parseArguments(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`dlq: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}

const sqs = new SQSClient(awsClientConfig({ requestTimeoutMs: 30_000 }));
try {
  process.exitCode = await runCommand(command, sqs, (line) => console.log(line));
} catch (error) {
  if (!(error instanceof DlqError)) throw error;
  console.error(`dlq: ${error.message}`);
  process.exitCode = 1;
} finally {
  sqs.destroy();
}
