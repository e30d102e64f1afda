import { nestsDeeperThan } from '../../src/appdirect/jsonDepth';

describe('nestsDeeperThan', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  test('counts objects and arrays alike', () => {
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(nestsDeeperThan(nested(64), 64)).toBe(false);
    expect(nestsDeeperThan(nested(65), 64)).toBe(true);
  });

  test('ignores brackets and escaped quotes inside strings', () => {
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[{{{{ "quoted [[[" \\\\' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: 'ends with a backslash \\' , next: [[1]] }), 2)).toBe(true);
  });

  test('looks at depth, not size: many siblings are fine', () => {
    expect(nestsDeeperThan(JSON.stringify(Array.from({ length: 10_000 }, () => [{}])), 3)).toBe(false);
  });

  test('a million levels cost one pass, no stack', () => {
    expect(nestsDeeperThan(nested(1_000_000), 64)).toBe(true);
  });
});
