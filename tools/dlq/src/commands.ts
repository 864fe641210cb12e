// Runs one parsed command and prints what the operator needs to read. Returns the exit code:
// 0 done, 1 done with messages left behind (a partial redrive, messages not released).
import type { SQSClient } from '@aws-sdk/client-sqs';
import { USAGE, type Command } from './arguments.ts';
import { formatMessage, peekMessages, PEEK_VISIBILITY_SECONDS } from './peek.ts';
import {
  approximateCount,
  assertDeadLetterQueue,
  deadLetterSources,
  findDeadLetterQueues,
  listQueues,
  resolveQueue,
} from './queues.ts';
import { moveTaskStatus, redrive } from './redrive.ts';

export type Print = (line: string) => void;

export async function runCommand(command: Command, sqs: SQSClient, print: Print): Promise<number> {
  switch (command.name) {
    case 'help':
      print(USAGE);
      return 0;
    case 'list':
      return list(sqs, command.prefix, print);
    case 'peek':
      return peek(sqs, command, print);
    case 'redrive':
      return redriveCommand(sqs, command, print);
    case 'status':
      return status(sqs, command.queue, print);
  }
}

async function list(sqs: SQSClient, prefix: string, print: Print): Promise<number> {
  const dlqs = await findDeadLetterQueues(sqs, prefix);
  if (dlqs.length === 0) {
    print(`no dead-letter queues named ${prefix}-*`);
    return 0;
  }
  const rows = dlqs.map(({ queue, sources }) => [
    queue.name,
    String(approximateCount(queue, 'ApproximateNumberOfMessages')),
    String(approximateCount(queue, 'ApproximateNumberOfMessagesNotVisible')),
    sources.map((s) => s.name).join(', ') || '(none found)',
  ]);
  const table = [['queue', 'messages', 'in flight', 'source queue'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const row of table)
    print(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}

async function peek(
  sqs: SQSClient,
  command: Extract<Command, { name: 'peek' }>,
  print: Print,
): Promise<number> {
  const queue = await resolveQueue(sqs, command.queue);
  assertDeadLetterQueue(queue, 'peek');
  const sources = await deadLetterSources(sqs, queue, () => listQueues(sqs, `${command.prefix}-`));
  const { messages, notReleased } = await peekMessages(sqs, queue, command.max);
  print(
    `${queue.name}: ${approximateCount(queue, 'ApproximateNumberOfMessages')} message(s), ` +
      `source queue ${sources.map((s) => s.name).join(', ') || '(none found)'}; ` +
      `showing ${messages.length}${command.showAddresses ? '' : ', addresses masked'}`,
  );
  for (const message of messages) print(formatMessage(message, command));
  if (notReleased > 0) {
    print(
      `warning: ${notReleased} message(s) could not be made visible again; ` +
        `they reappear within ${PEEK_VISIBILITY_SECONDS} s`,
    );
    return 1;
  }
  return 0;
}

async function redriveCommand(
  sqs: SQSClient,
  command: Extract<Command, { name: 'redrive' }>,
  print: Print,
): Promise<number> {
  const outcome = await redrive(sqs, command);
  const route = `${outcome.from.name} -> ${outcome.to.name}`;
  if (outcome.mode === 'move-task') {
    print(`started SQS message move task ${outcome.taskHandle}: ${route}`);
    print(`follow it with: npm run dlq -- status ${outcome.from.name}`);
    return 0;
  }
  const { moved, sendFailed, deleteFailed } = outcome.result;
  print(
    `this endpoint has no StartMessageMoveTask (${outcome.unsupported}); ` +
      'used the copy redrive instead: receive, send to the destination, delete after the send succeeded',
  );
  print(`moved ${moved} message(s): ${route}`);
  if (sendFailed > 0)
    print(`${sendFailed} message(s) refused by ${outcome.to.name}: still in ${outcome.from.name}`);
  if (deleteFailed > 0) {
    print(
      `${deleteFailed} message(s) sent but not deleted: they will be visible in ${outcome.from.name} again`,
    );
  }
  // The depth at the start is approximate: say plainly when something is still there.
  const after = await resolveQueue(sqs, outcome.from.url);
  const left =
    approximateCount(after, 'ApproximateNumberOfMessages') +
    approximateCount(after, 'ApproximateNumberOfMessagesNotVisible');
  if (left > 0) print(`${left} message(s) still in ${outcome.from.name}`);
  return sendFailed + deleteFailed + left === 0 ? 0 : 1;
}

async function status(sqs: SQSClient, queue: string, print: Print): Promise<number> {
  const outcome = await moveTaskStatus(sqs, queue);
  if (!outcome.supported) {
    print(
      `this endpoint has no message move tasks (${outcome.unsupported}); ` +
        'here `redrive` copies in the foreground and has finished when it returns',
    );
    return 0;
  }
  if (outcome.tasks.length === 0) {
    print(`no message move tasks for ${outcome.queue.name}`);
    return 0;
  }
  for (const task of outcome.tasks) {
    const started = task.StartedTimestamp ? new Date(task.StartedTimestamp).toISOString() : '?';
    const parts = [
      `${task.Status ?? '?'} ${task.TaskHandle ?? ''}`.trim(),
      `started ${started}`,
      `moved ${task.ApproximateNumberOfMessagesMoved ?? 0} of ${task.ApproximateNumberOfMessagesToMove ?? '?'}`,
      `to ${task.DestinationArn ?? 'the original source queues'}`,
    ];
    if (task.MaxNumberOfMessagesPerSecond) parts.push(`${task.MaxNumberOfMessagesPerSecond}/s`);
    if (task.FailureReason) parts.push(`failure: ${task.FailureReason}`);
    print(parts.join(', '));
  }
  return 0;
}
