import { assembleRecord } from './assemble.js';
import { DEFAULT_CALENDAR } from './calendar.js';
import { meanAndP90, stepStatistics, type PeriodCase } from './statistics.js';
import type { EngineStep } from './steps.js';

const H = 3_600_000;
const sh = (local: string) => new Date(`${local}+08:00`).toISOString();
const step = (over: Partial<EngineStep>): EngineStep => ({
  elementInstanceKey: '1',
  processInstanceKey: 'p1',
  processDefinitionId: 'relocation',
  elementId: 'survey',
  elementType: 'USER_TASK',
  name: '勘察',
  startedAt: sh('2027-01-04T09:00'),
  endedAt: sh('2027-01-04T10:00'),
  state: 'COMPLETED',
  assignee: null,
  candidateGroups: ['engineer'],
  target: null,
  ...over,
});

describe('mean and 90th percentile (nearest rank)', () => {
  test('ten values 1…10: mean 5.5, p90 the 9th smallest = 9', () => {
    expect(meanAndP90([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual({ avg: 6 /* 5.5 rounded half up */, p90: 9 });
  });
  test('one value is both; none is null', () => {
    expect(meanAndP90([7])).toEqual({ avg: 7, p90: 7 });
    expect(meanAndP90([])).toEqual({ avg: null, p90: null });
  });
  test('eleven values: p90 is the ⌈9.9⌉ = 10th smallest', () => {
    expect(meanAndP90([0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 200]).p90).toBe(100);
  });
});

describe('step statistics', () => {
  test('working time per step and case, overdue by group and person; running and terminated steps left out', () => {
    const cases: PeriodCase[] = [
      { caseType: 'relocation', processInstanceKey: 'p1', createdAt: '', closedAt: null, status: 'completed' },
      { caseType: 'relocation', processInstanceKey: 'p2', createdAt: '', closedAt: null, status: 'open' },
    ];
    const steps = new Map([
      [
        'p1',
        [
          // Fri 16:00 → Mon 10:00 = 1h30 + 1h30 = 3h, past its 2h target
          step({
            startedAt: sh('2027-01-08T16:00'),
            endedAt: sh('2027-01-11T10:00'),
            target: 'PT2H',
            assignee: 'wang',
          }),
          step({ elementId: 'fee', elementType: 'RECEIVE_TASK', name: '缴费', candidateGroups: [] }),
        ],
      ],
      [
        'p2',
        [
          step({ processInstanceKey: 'p2', target: 'PT2H', assignee: 'li' }), // 1h, on time
          step({ processInstanceKey: 'p2', elementId: 'fee', state: 'ACTIVE', endedAt: null }),
          step({ processInstanceKey: 'p2', elementId: 'works', state: 'TERMINATED' }),
        ],
      ],
    ]);
    const spans = new Map([
      ['p1', { startedAt: sh('2027-01-08T16:00'), endedAt: sh('2027-01-11T11:00') }], // 1h30 + 2h30 = 4h
      ['p2', { startedAt: sh('2027-01-04T09:00'), endedAt: null }],
    ]);
    const s = stepStatistics(cases, steps, DEFAULT_CALENDAR, spans);
    expect(s.perCase).toEqual([{ caseType: 'relocation', count: 1, avgWorkingMs: 4 * H, p90WorkingMs: 4 * H }]);
    expect(s.perStep).toEqual([
      {
        caseType: 'relocation',
        elementId: 'survey',
        name: '勘察',
        count: 2,
        avgWorkingMs: 2 * H,
        p90WorkingMs: 3 * H,
        overdue: 1,
      },
      {
        caseType: 'relocation',
        elementId: 'fee',
        name: '缴费',
        count: 1,
        avgWorkingMs: H,
        p90WorkingMs: H,
        overdue: 0,
      },
    ]);
    // only user tasks are someone's: the receive task counts for no department
    expect(s.overdueByGroup).toEqual([{ group: 'engineer', overdue: 1, steps: 2 }]);
    expect(s.overdueByPerson).toEqual([
      { person: 'wang', overdue: 1, steps: 1 },
      { person: 'li', overdue: 0, steps: 1 },
    ]);
  });
});

describe('the record from the engine steps', () => {
  test('a redone step: the escalation belongs to the run it fell in; the other run is not escalated', () => {
    const first = step({ elementInstanceKey: '1', startedAt: sh('2027-01-04T09:00'), endedAt: sh('2027-01-04T12:00') });
    const again = step({ elementInstanceKey: '2', startedAt: sh('2027-01-05T09:00'), endedAt: sh('2027-01-05T10:00') });
    const r = assembleRecord(
      [first, again].map((s) => ({ ...s, target: 'PT2H', assignee: 'wang' })),
      [
        {
          step: 'survey',
          processInstanceKey: 'p1',
          assignee: null,
          candidateGroup: null,
          escalatedAt: sh('2027-01-04T11:00'),
        },
      ],
      DEFAULT_CALENDAR,
      new Date(sh('2027-01-06T09:00')),
    );
    expect(r.steps.map((s) => [s.workingMs, s.overdue, s.escalated])).toEqual([
      [3 * H, true, true],
      [H, false, false],
    ]);
    expect(r.escalations).toEqual([
      {
        step: 'survey',
        stepName: '勘察',
        assignee: 'wang',
        candidateGroup: 'engineer',
        escalatedAt: sh('2027-01-04T11:00'),
      },
    ]);
  });

  test('a running step is measured to now', () => {
    const r = assembleRecord(
      [step({ state: 'ACTIVE', endedAt: null, target: 'P1D' })],
      [],
      DEFAULT_CALENDAR,
      new Date(sh('2027-01-05T09:00')),
    );
    // Mon 09:00 → Tue 09:00 = 3h + 4h + 30m = 7h30 = one working day: not past P1D
    expect(r.steps[0]).toMatchObject({ workingMs: 7.5 * H, targetMs: 7.5 * H, overdue: false, elapsedMs: 24 * H });
  });
});
