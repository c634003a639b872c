import { timelinePdf, type PrintedInstance } from '../../documents/timeline-pdf.js';
import type { Timeline, TimelineEntry } from '../timeline.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { processLabels } from './zh-CN.js';

// The printed timeline (documents/timeline-pdf.ts) must say every state, element type and task/job event in the
// words the zh-CN screen uses (contracts/labels/zh-CN.ts): an auditor compares the two.

const base = { actor: 'demo', elementId: 'step', elementInstanceKey: '2' };
let position = 0;
const entry = (e: Record<string, unknown>) =>
  ({ ...base, position: String(++position), at: '2026-12-01T02:00:00.000Z', ...e }) as TimelineEntry;

function entries(codes: (group: keyof typeof processLabels, code: string) => boolean): TimelineEntry[] {
  const pick = <G extends keyof typeof processLabels>(group: G) =>
    Object.keys(processLabels[group]).filter((code) => codes(group, code));
  return [
    ...pick('elementType').map((elementType) => entry({ kind: 'element-entered', elementType })),
    ...pick('userTaskIntent').map((intent) =>
      entry({ kind: 'user-task', intent, userTaskKey: '3', assignee: null, changes: {} }),
    ),
    ...pick('jobIntent').map((intent) =>
      entry({
        kind: 'job',
        intent,
        jobKey: '4',
        jobType: null,
        worker: null,
        retries: null,
        errorMessage: null,
        errorCode: null,
      }),
    ),
  ];
}

async function printed(state: keyof typeof processLabels.instanceState, list: TimelineEntry[]): Promise<string> {
  const instance: PrintedInstance = {
    processInstanceKey: '1',
    processDefinitionId: 'labels',
    processDefinitionVersion: 1,
    state,
    startDate: '2026-12-01T02:00:00.000Z',
  };
  const timeline: Timeline = {
    processInstanceKey: '1',
    processDefinitionKey: null,
    bpmnProcessId: 'labels',
    version: 1,
    startedAt: '2026-12-01T02:00:00.000Z',
    outcome: state,
    elements: [],
    entries: list,
  };
  return (await pdfText(await timelinePdf(instance, timeline, new Map()))).join('');
}

function expected(codes: (group: keyof typeof processLabels, code: string) => boolean): string[] {
  const words: string[] = [];
  for (const [code, word] of Object.entries(processLabels.elementType))
    if (codes('elementType', code)) words.push(`进入（${word}）`);
  for (const group of ['userTaskIntent', 'jobIntent'] as const)
    for (const [code, word] of Object.entries(processLabels[group])) if (codes(group, code)) words.push(word);
  return words;
}

// Every code of every group: the PDF takes the same maps, so nothing may be printed raw.
const agreed = () => true;

test.each(Object.keys(processLabels.instanceState) as Array<keyof typeof processLabels.instanceState>)(
  'the printed timeline of a %s instance says its state and every event as the zh-CN screen does',
  async (state) => {
    const text = await printed(state, entries(agreed));
    expect(text).toContain(`状态 ${processLabels.instanceState[state]} 耗时`);
    for (const word of expected(agreed)) expect([word, text.includes(word)]).toEqual([word, true]);
  },
);
