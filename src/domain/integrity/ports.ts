/**
 * Stored records that cannot be shown: a record that does not parse or lacks its fields, or one
 * that names another record which is missing (a tweet whose author is gone, a follow of a user who
 * is not stored). Reads leave such a record out of the page they build and report it here, so
 * one bad record costs its own edge, never another user's page.
 */
export type SkippedRecord = 'tweet' | 'user';

/** `corrupt`: the stored value does not parse or lacks a field. `missing_author`, `missing_user`: it names a record that is not stored. */
export type SkipReason = 'corrupt' | 'missing_author' | 'missing_user';

export interface RecordIntegrity {
  /** One record left out of a read: logged (with ids, at most once a minute per record) and counted. */
  skipped(record: SkippedRecord, id: string, reason: SkipReason, facts?: Readonly<Record<string, string>>): void;
}

/** For code paths and tests that have nowhere to report to. */
export const IGNORE_SKIPPED: RecordIntegrity = { skipped: () => undefined };
