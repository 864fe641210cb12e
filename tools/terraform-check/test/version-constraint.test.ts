import { satisfies } from '../src/version-constraint.ts';

describe('Terraform version constraints', () => {
  test.each([
    ['6.66.0', '>= 6.21, < 7.0', true],
    ['7.0.0', '>= 6.21, < 7.0', false],
    ['6.20.9', '>= 6.21, < 7.0', false],
    ['6.66.0', '~> 6.0', true],
    ['7.1.0', '~> 6.0', false],
    ['6.66.0', '~> 6.21.0', false],
    ['6.21.4', '~> 6.21.0', true],
    ['6.66.0', '= 6.66.0', true],
    ['6.66.0', '6.66.0', true],
    ['6.66.0', '!= 6.66.0', false],
  ])('%s satisfies "%s": %s', (version, constraint, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });

  test('a malformed clause is an error naming the clause', () => {
    expect(() => satisfies('6.66.0', '>= six')).toThrow(
      'malformed version constraint clause ">= six"',
    );
  });
});
