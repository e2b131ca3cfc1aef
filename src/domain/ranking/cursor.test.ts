import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { decodeRankedCursor, encodeRankedCursor, isSnapshotId } from './cursor.js';

const snapshotId = 'AbCdEfGhIjKlMnOpQr_-12';

describe('ranked cursors', () => {
  it('round-trip a snapshot position', () => {
    expect(isSnapshotId(snapshotId)).toBe(true);
    for (const offset of [0, 1, 20, 500]) {
      expect(decodeRankedCursor(encodeRankedCursor({ snapshotId, offset }))).toEqual({ snapshotId, offset });
    }
  });

  it('reject anything we did not issue with BAD_USER_INPUT on `after`', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const forged = ['', 'not base64!', b64('short:1'), b64(`${snapshotId}:`), b64(`${snapshotId}:-1`), b64(`${snapshotId}:01`), b64(`${snapshotId}:99999999`), b64(`${snapshotId}x:1`), 'A'.repeat(200)];
    for (const cursor of forged) {
      let caught: unknown;
      try {
        decodeRankedCursor(cursor);
      } catch (err) {
        caught = err;
      }
      expect(caught, cursor).toBeInstanceOf(DomainError);
      expect((caught as DomainError).field).toBe('after');
    }
  });
});
