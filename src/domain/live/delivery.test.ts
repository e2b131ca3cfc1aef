import { describe, expect, it } from 'vitest';
import { DeliveryLedger } from './delivery.js';

const at = (score: number, member = String(score)) => ({ score, member });

describe('DeliveryLedger', () => {
  it('admits an id once, and nothing at or before the floor', () => {
    const ledger = new DeliveryLedger(at(10), 100);
    expect(ledger.verdict('10', at(10))).toBe('behind-floor');
    expect(ledger.verdict('9', at(9))).toBe('behind-floor');
    expect(ledger.verdict('11', at(11))).toBe('send');
    ledger.record('11', at(11));
    expect(ledger.verdict('11', at(11))).toBe('repeat');
    // Same millisecond as the floor: only members after it.
    expect(ledger.verdict('09', at(10, '09'))).toBe('behind-floor');
    expect(ledger.verdict('50', at(10, '50'))).toBe('send');
  });

  it('gives every edge the frontier, so an entry arriving after a newer one does not move the cursor back', () => {
    const ledger = new DeliveryLedger(null, 100);
    expect(ledger.record('20', at(20))).toEqual(at(20));
    expect(ledger.record('30', at(30))).toEqual(at(30));
    expect(ledger.record('25', at(25))).toEqual(at(30));
    expect(ledger.frontier).toEqual(at(30));
  });

  it('forgets the oldest ids beyond its memory', () => {
    const ledger = new DeliveryLedger(null, 2);
    ledger.record('1', at(1));
    ledger.record('2', at(2));
    ledger.remember('3');
    expect(ledger.verdict('1', at(1))).toBe('send');
    expect(ledger.verdict('2', at(2))).toBe('repeat');
    expect(ledger.verdict('3', at(3))).toBe('repeat');
  });

  it('reads what it may have missed from the frontier, never from before the floor or the start', () => {
    const start = at(100, '');
    expect(new DeliveryLedger(null, 10).readFrom(start)).toEqual(start);
    expect(new DeliveryLedger(at(50), 10).readFrom(start)).toEqual(at(50));
    const late = new DeliveryLedger(null, 10);
    late.record('90', at(90)); // arrived late, from before the stream began
    expect(late.readFrom(start)).toEqual(start);
    late.record('120', at(120));
    expect(late.readFrom(start)).toEqual(at(120));
  });
});
