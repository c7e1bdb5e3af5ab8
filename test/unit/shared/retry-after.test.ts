import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/shared/clock.js';
import { parseRetryAfter } from '../../../src/shared/retry-after.js';

const clock = new ManualClock(Date.UTC(2026, 9, 21, 7, 28, 0));

describe('parseRetryAfter', () => {
  it.each([
    [{ 'retry-after': '20' }, 20],
    [{ 'retry-after': '0.4' }, 1],
    [{ 'Retry-After': ' 7 ' }, 7],
    [{ 'RETRY-AFTER': '2.5' }, 3],
    [{ 'retry-after-ms': '250' }, 1],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 1],
    [{ 'retry-after': 'Wed, 21 Oct 2026 07:28:45 GMT' }, 45],
    // The upstream's own clock is the reference when it sent one.
    [{ 'retry-after': 'Wed, 21 Oct 2026 07:28:45 GMT', date: 'Wed, 21 Oct 2026 07:28:40 GMT' }, 5],
    [{ 'retry-after': 'Wed, 21 Oct 2026 07:00:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '-5' }, undefined],
    [{ 'retry-after': '' }, undefined],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(parseRetryAfter(headers, clock)).toBe(expected);
  });

  it('measures an HTTP date from the injected clock, not the host clock', () => {
    const later = new ManualClock(Date.UTC(2026, 9, 21, 7, 28, 30));
    expect(parseRetryAfter({ 'retry-after': 'Wed, 21 Oct 2026 07:28:45 GMT' }, later)).toBe(15);
  });
});
