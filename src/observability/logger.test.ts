import { describe, expect, it } from 'vitest';
import { resolveLogFormat } from './logger.js';

describe('the log format', () => {
  it('is pretty on a terminal and JSON anywhere else, unless set', () => {
    expect(resolveLogFormat('auto', { isTTY: true })).toBe('pretty');
    expect(resolveLogFormat('auto', { isTTY: false })).toBe('json');
    expect(resolveLogFormat('auto', {})).toBe('json');
    expect(resolveLogFormat('json', { isTTY: true })).toBe('json');
    expect(resolveLogFormat('pretty', {})).toBe('pretty');
  });
});
