import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// npm scripts put node_modules/.bin first on the PATH, where the pinned `node` package installs Node 24.
describe('runtime', () => {
  it('runs the tests, and the servers they start, on Node 24 LTS', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
    expect(execFileSync('node', ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^v24\./);
  });
});
