import type { Counter } from 'prom-client';
import type { RecordIntegrity } from '../domain/integrity/ports.js';
import type { Logger } from './logger.js';

/** How often one record's skips are logged again (every skip is counted). */
const LOG_EVERY_MS = 60_000;
/** Records remembered for that; past it the memory starts over (a flood of bad records still logs, at worst once each). */
const REMEMBERED = 10_000;

/**
 * Reports skipped records: a warning with the record's id, reason and the facts the reader had (e.g.
 * the missing author's id), and `timeline_records_skipped_total{record,reason}`. A record read by every
 * page (a bad tweet in the popular set) is logged once a minute with how often it was skipped
 * meanwhile, not once per page.
 */
export function createRecordIntegrity(deps: { logger: Logger; counter: Counter<'record' | 'reason'>; clock?: () => number }): RecordIntegrity {
  const clock = deps.clock ?? Date.now;
  const lastLogged = new Map<string, { at: number; unlogged: number }>();
  return {
    skipped(record, id, reason, facts = {}) {
      deps.counter.inc({ record, reason });
      const key = `${record}:${id}:${reason}`;
      const now = clock();
      const seen = lastLogged.get(key);
      if (seen && now - seen.at < LOG_EVERY_MS) {
        seen.unlogged++;
        return;
      }
      if (lastLogged.size >= REMEMBERED) lastLogged.clear();
      lastLogged.set(key, { at: now, unlogged: 0 });
      deps.logger.warn(
        { record, id, reason, ...facts, ...(seen?.unlogged ? { skippedSinceLastLog: seen.unlogged } : {}) },
        'left a missing or corrupt record out of a read',
      );
    },
  };
}
