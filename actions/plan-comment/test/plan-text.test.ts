import fc from 'fast-check';
import { preparePlanText, truncateMiddle } from '../src/plan-text.ts';
import { planText } from './plan-fixtures.ts';

describe('preparePlanText', () => {
  it('strips colour codes and moves +/- markers to column 0 for diff highlighting', () => {
    const raw =
      '\u001b[1m  # aws_lb.main\u001b[0m must be \u001b[1m\u001b[31mreplaced\u001b[0m\r\n' +
      '-/+ resource "aws_lb" "main" {\r\n' +
      '      + arn = (known after apply)\r\n' +
      '      - name = "old"\r\n' +
      '      ~ idle_timeout = 60 -> 120\r\n\r\n';
    expect(preparePlanText(raw)).toBe(
      '  # aws_lb.main must be replaced\n' +
        '-/+ resource "aws_lb" "main" {\n' +
        '+       arn = (known after apply)\n' +
        '-       name = "old"\n' +
        '      ~ idle_timeout = 60 -> 120',
    );
  });
});

describe('truncateMiddle', () => {
  const notice = (lines: number, chars: number) => `[${lines} lines, ${chars} chars cut]`;

  it('leaves text that fits alone', () => {
    expect(truncateMiddle('short', 10, notice)).toEqual({
      text: 'short',
      truncated: false,
      omittedLines: 0,
      omittedChars: 0,
    });
  });

  it('keeps whole lines from the head and the tail and counts what it cut', () => {
    const text = planText(5_000);
    const result = truncateMiddle(text, 10_000, notice);
    expect(result.truncated).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(10_000);
    expect(result.text.startsWith('Terraform will perform the following actions:')).toBe(true);
    expect(result.text.endsWith('Plan: 5000 to add, 0 to change, 0 to destroy.')).toBe(true);
    const [head, tail] = result.text.split(
      `[${result.omittedLines} lines, ${result.omittedChars} chars cut]`,
    );
    expect(text.startsWith(head)).toBe(true);
    expect(text.endsWith(tail)).toBe(true);
    expect(head.length + tail.length + result.omittedChars).toBe(text.length);
    // Cut on line boundaries: every kept line is a whole line of the original.
    const originalLines = new Set(text.split('\n'));
    for (const line of result.text.split('\n')) {
      if (!line.startsWith('[')) expect(originalLines.has(line)).toBe(true);
    }
  });

  it('cuts inside a single line longer than the budget', () => {
    const result = truncateMiddle('x'.repeat(1_000), 100, notice);
    expect(result.text.length).toBeLessThanOrEqual(100);
    expect(result.text).toMatch(/^x+\n\[1 lines, \d+ chars cut\]\nx+$/);
  });

  it('never exceeds the budget (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 120 }), { maxLength: 300 }),
        fc.integer({ min: 60, max: 5_000 }),
        (lines, max) => {
          const text = lines.join('\n');
          const result = truncateMiddle(text, max, notice);
          expect(result.text.length).toBeLessThanOrEqual(max);
          if (!result.truncated) expect(result.text).toBe(text);
        },
      ),
    );
  });
});
