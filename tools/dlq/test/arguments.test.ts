import { DEFAULT_PEEK_MAX, DEFAULT_PREFIX, parseArguments, UsageError } from '../src/arguments.ts';

describe('parseArguments', () => {
  it('reads each command with its defaults', () => {
    expect(parseArguments([])).toEqual({ name: 'help' });
    expect(parseArguments(['--help'])).toEqual({ name: 'help' });
    expect(parseArguments(['list'])).toEqual({ name: 'list', prefix: DEFAULT_PREFIX });
    expect(parseArguments(['peek', 'q-dlq'])).toEqual({
      name: 'peek',
      queue: 'q-dlq',
      max: DEFAULT_PEEK_MAX,
      showAddresses: false,
      prefix: DEFAULT_PREFIX,
    });
    expect(parseArguments(['redrive', 'q-dlq'])).toEqual({
      name: 'redrive',
      queue: 'q-dlq',
      maxPerSecond: undefined,
      to: undefined,
      prefix: DEFAULT_PREFIX,
    });
    expect(parseArguments(['status', 'q-dlq'])).toEqual({ name: 'status', queue: 'q-dlq' });
  });

  it('reads flags before or after the queue, with a space or an =', () => {
    expect(parseArguments(['peek', '--max=3', 'q-dlq', '--show-addresses'])).toMatchObject({
      queue: 'q-dlq',
      max: 3,
      showAddresses: true,
    });
    expect(
      parseArguments(['redrive', '--max-per-second', '50', 'q-dlq', '--to', 'q', '--prefix=p']),
    ).toEqual({ name: 'redrive', queue: 'q-dlq', maxPerSecond: 50, to: 'q', prefix: 'p' });
  });

  it('takes the prefix from DLQ_PREFIX unless --prefix names one', () => {
    expect(parseArguments(['list'], { DLQ_PREFIX: 'notify-staging' })).toEqual({
      name: 'list',
      prefix: 'notify-staging',
    });
    expect(parseArguments(['list', '--prefix', 'x'], { DLQ_PREFIX: 'notify-staging' })).toEqual({
      name: 'list',
      prefix: 'x',
    });
  });

  it('reads a prefix with or without its trailing dash', () => {
    expect(parseArguments(['list', '--prefix', 'notify-staging-'])).toEqual({
      name: 'list',
      prefix: 'notify-staging',
    });
  });

  it.each([
    [['list', '--prefix', '-'], '--prefix must name the queues, e.g. notify-staging'],
    [['purge', 'q'], 'unknown command "purge"'],
    [['peek'], 'peek needs a queue'],
    [['peek', 'a', 'b'], 'peek takes one queue'],
    [['list', 'q'], 'list takes no queue, got "q"'],
    [['peek', 'q', '--max'], '--max needs a value'],
    [['peek', 'q', '--max', '0'], '--max must be a whole number from 1 to 100, got "0"'],
    [['peek', 'q', '--max', '101'], '--max must be a whole number from 1 to 100, got "101"'],
    [['peek', 'q', '--max', '2.5'], '--max must be a whole number from 1 to 100, got "2.5"'],
    [['peek', 'q', '--max', '1', '--max', '2'], '--max given twice'],
    [['peek', 'q', '--show-addresses=yes'], '--show-addresses takes no value'],
    [
      ['redrive', 'q', '--max-per-second', '501'],
      '--max-per-second must be a whole number from 1 to 500, got "501"',
    ],
    [['redrive', 'q', '--max', '5'], 'redrive does not take --max'],
    [['status', 'q', '--to', 'x'], 'status does not take --to'],
    [['list', '-p'], 'list does not take -p'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseArguments(argv)).toThrow(new UsageError(message));
  });
});
