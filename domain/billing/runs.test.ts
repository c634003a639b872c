import { view } from './runs.js';

const row = {
  id: '7',
  period: new Date(2026, 10, 1),
  status: 'computing',
  process_instance_key: '2251799813685249',
  started_by: 'manager',
  started_at: new Date('2026-12-01T02:00:00Z'),
  review_threshold_fen: '100000',
  accounts_done: 250_000,
  accounts_total: 1_000_000,
  accounts_without_tariff: 3,
  bills_for_review: 0,
  bills_posted: 0,
  compute_started_at: new Date('2026-12-01T02:00:10Z'),
  computed_at: null,
  finished_at: null,
};

test('progress of a computing run: accounts per second since computing began, seconds left at that rate', () => {
  const v = view(row, new Date('2026-12-01T02:00:20Z'));
  expect(v).toMatchObject({ id: 7, period: '2026-11', done: 250_000, total: 1_000_000, rate: 25_000, etaSeconds: 30 });
  expect(v.reviewThresholdFen).toBe(100000);
});

test('a computed run: rate over the whole computation, nothing left; a run not computing yet: unknown', () => {
  const done = view(
    { ...row, accounts_done: 1_000_000, computed_at: new Date('2026-12-01T02:00:50Z'), status: 'reviewing' },
    new Date('2026-12-01T03:00:00Z'),
  );
  expect(done).toMatchObject({ rate: 25_000, etaSeconds: 0 });
  const waiting = view({ ...row, compute_started_at: null, accounts_done: 0 }, new Date());
  expect(waiting).toMatchObject({ rate: null, etaSeconds: null });
});
