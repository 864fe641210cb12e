// The command line of `npm run dlq -- <command>`: parsed into one command object, or refused
// with a UsageError that says what was wrong, so a typo never reaches SQS.

export const DEFAULT_PREFIX = 'notify-local';
export const DEFAULT_PEEK_MAX = 10;
/** Peek holds what it reads invisible until it has read them all: keep that set small. */
export const MAX_PEEK = 100;
/** StartMessageMoveTask's own ceiling for MaxNumberOfMessagesPerSecond. */
export const MAX_MESSAGES_PER_SECOND = 500;

export type Command =
  | { name: 'help' }
  | { name: 'list'; prefix: string }
  | { name: 'peek'; queue: string; max: number; showAddresses: boolean; prefix: string }
  | {
      name: 'redrive';
      queue: string;
      maxPerSecond?: number | undefined;
      to?: string | undefined;
      prefix: string;
    }
  | { name: 'status'; queue: string };

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: npm run dlq -- <command>

  list [--prefix P]                     every dead-letter queue named P-*, its depth and source queue
  peek <queue> [--max N] [--show-addresses] [--prefix P]
                                        print up to N messages (default ${DEFAULT_PEEK_MAX}, at most ${MAX_PEEK}) and
                                        leave them in the queue; addresses masked unless --show-addresses
  redrive <queue> [--max-per-second N] [--to <queue>] [--prefix P]
                                        move the messages back to the source queue (SQS message move
                                        task; a receive-send-delete copy where SQS has none)
  status <queue>                        the queue's recent SQS message move tasks

<queue> is a queue name or URL. P defaults to ${DEFAULT_PREFIX} (or DLQ_PREFIX).
Region and endpoint come from AWS_REGION and AWS_ENDPOINT_URL_SQS, credentials from the usual chain.`;

const FLAGS: Record<Command['name'], { values: string[]; switches: string[] }> = {
  help: { values: [], switches: [] },
  list: { values: ['--prefix'], switches: [] },
  peek: { values: ['--max', '--prefix'], switches: ['--show-addresses'] },
  redrive: { values: ['--max-per-second', '--to', '--prefix'], switches: [] },
  status: { values: [], switches: [] },
};

function isCommandName(value: string): value is Command['name'] {
  return Object.hasOwn(FLAGS, value);
}

function positiveInteger(flag: string, raw: string, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

export function parseArguments(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    return { name: 'help' };
  }
  if (!isCommandName(name)) throw new UsageError(`unknown command "${name}"`);

  const allowed = FLAGS[name];
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] as string;
    const [flag, inline] = arg.startsWith('--') ? splitInline(arg) : [arg, undefined];
    if (allowed.switches.includes(flag)) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      switches.add(flag);
    } else if (allowed.values.includes(flag)) {
      const value = inline ?? rest[(i += 1)];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      if (values.has(flag)) throw new UsageError(`${flag} given twice`);
      values.set(flag, value);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`${name} does not take ${flag}`);
    } else {
      positional.push(arg);
    }
  }

  // "notify-local" and "notify-local-" both mean the queues named notify-local-*.
  const prefix = (values.get('--prefix') ?? (env.DLQ_PREFIX || DEFAULT_PREFIX)).replace(/-+$/, '');
  if (prefix === '') throw new UsageError('--prefix must name the queues, e.g. notify-staging');
  if (name === 'help') return { name };
  if (name === 'list') {
    if (positional.length > 0) throw new UsageError(`list takes no queue, got "${positional[0]}"`);
    return { name, prefix };
  }
  if (positional.length !== 1) {
    throw new UsageError(
      positional.length === 0 ? `${name} needs a queue` : `${name} takes one queue`,
    );
  }
  const queue = positional[0] as string;
  if (name === 'status') return { name, queue };
  if (name === 'peek') {
    const rawMax = values.get('--max');
    return {
      name,
      queue,
      max: rawMax === undefined ? DEFAULT_PEEK_MAX : positiveInteger('--max', rawMax, MAX_PEEK),
      showAddresses: switches.has('--show-addresses'),
      prefix,
    };
  }
  const rawRate = values.get('--max-per-second');
  return {
    name,
    queue,
    maxPerSecond:
      rawRate === undefined
        ? undefined
        : positiveInteger('--max-per-second', rawRate, MAX_MESSAGES_PER_SECOND),
    to: values.get('--to'),
    prefix,
  };
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
