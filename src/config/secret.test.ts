import { inspect } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Secret } from './secret.js';

describe('Secret', () => {
  it('reveals its value only when asked, and shows as [redacted] everywhere else', () => {
    const secret = new Secret('s3cr3t-value');
    expect(secret.reveal()).toBe('s3cr3t-value');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    logger.info({ config: { password: secret } }, `connecting with ${String(secret)}`);
    const shown = [String(secret), `${secret}`, JSON.stringify({ secret }), inspect({ secret }), ...lines, new Error(`bad ${secret}`).message];
    for (const text of shown) expect(text).not.toContain('s3cr3t-value');
    expect(lines[0]).toContain('"password":"[redacted]"');
  });
});
