import type { Timeline, TimelineEntry } from '../engine/index.js';
import { renderPdf } from './render.js';
import { processLabels } from '../contracts/labels/zh-CN.js';

/** What the printed timeline needs about the instance besides its record log. */
export interface PrintedInstance {
  processInstanceKey: string;
  processDefinitionId: string;
  processDefinitionName?: string | null;
  processDefinitionVersion: number;
  state: string;
  startDate: string;
  endDate?: string | null;
}

// Printed for the utility's staff and auditors, who read China time whatever zone the server runs in.
const TIME_ZONE = 'Asia/Shanghai';
const time = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: TIME_ZONE, hour12: false }).replace(/\//g, '-');

// The words of the zh-CN screen, from one place (contracts/labels), so screen and paper cannot say different things.
const labels: Record<keyof typeof processLabels, Record<string, string>> = processLabels;
const STATES = labels.instanceState;
const USER_TASK = labels.userTaskIntent;
const JOB = labels.jobIntent;
const ELEMENT_TYPES = labels.elementType;

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${ms} 毫秒`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} 秒`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} 分钟`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} 小时`;
  return `${(ms / 86_400_000).toFixed(1)} 天`;
}

const shown = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v));

/** "What happened" in Chinese, one line per record-log entry. */
function happened(e: TimelineEntry): string {
  switch (e.kind) {
    case 'element-entered':
      return `进入${e.elementType ? `（${ELEMENT_TYPES[e.elementType] ?? e.elementType}）` : ''}`;
    case 'element-left':
      return e.outcome === 'COMPLETED' ? '完成' : '终止';
    case 'variable-set':
      return e.created ? '变量新建' : '变量修改';
    case 'user-task':
      return `${USER_TASK[e.intent] ?? e.intent}${e.assignee ? `（${e.assignee}）` : ''}`;
    case 'job':
      return `${JOB[e.intent] ?? e.intent} ${e.jobType ?? ''}${e.errorMessage ? `：${e.errorMessage}` : ''}`;
    case 'incident-created':
      return `异常：${e.errorType} ${e.errorMessage}`;
    case 'incident-resolved':
      return `异常已解决：${e.errorType}`;
    case 'message-correlated':
      return `收到消息 ${e.messageName ?? ''}${e.correlationKey ? `（${e.correlationKey}）` : ''}`;
    case 'timer-fired':
      return '定时器触发';
    case 'signal-received':
      return `收到信号 ${e.signalName ?? ''}`;
    default:
      return '';
  }
}

const cellDuration = (e: TimelineEntry) =>
  e.kind === 'element-left' ? duration(e.durationMs) : e.kind === 'incident-resolved' ? duration(e.openForMs) : '';
const cellVariable = (e: TimelineEntry) =>
  e.kind === 'variable-set' ? `${e.name}: ${e.created ? '∅' : shown(e.oldValue)} → ${shown(e.newValue)}` : '';

/**
 * The auditors' printed timeline: the instance's facts, then the chronological record log (time, element, what
 * happened, actor, duration, variable change old → new). Sequence flows and internal records are left out, as on
 * the screen.
 */
export function timelinePdf(
  instance: PrintedInstance,
  timeline: Timeline | null,
  names: Map<string, string>,
  printedAt = new Date(),
): Promise<Buffer> {
  const entries = (timeline?.entries ?? []).filter((e) => e.kind !== 'sequence-flow-taken' && e.kind !== 'other');
  const element = (id: string | null) => (id ? (names.has(id) ? `${names.get(id)} (${id})` : id) : '');
  const header = ['时间', '环节', '事件', '操作人', '耗时', '变量变化（原值 → 新值）'].map((text) => ({
    text,
    bold: true,
    fillColor: '#eeeeee',
  }));
  const rows = entries.map((e) => [
    time(e.at),
    element(e.elementId),
    happened(e),
    e.actor ?? '系统',
    cellDuration(e),
    cellVariable(e),
  ]);
  const process = instance.processDefinitionName || instance.processDefinitionId;
  return renderPdf({
    pageOrientation: 'landscape',
    info: { title: `流程审计记录 ${instance.processInstanceKey}` },
    footer: (page: number, pages: number) => ({ text: `第 ${page} / ${pages} 页`, alignment: 'center', fontSize: 8 }),
    content: [
      { text: '流程审计记录', fontSize: 16, bold: true, margin: [0, 0, 0, 6] },
      {
        table: {
          widths: ['auto', '*', 'auto', '*'],
          body: [
            ['流程', `${process} v${instance.processDefinitionVersion}`, '实例', instance.processInstanceKey],
            ['状态', STATES[instance.state] ?? instance.state, '耗时', duration(timeline?.durationMs) || '—'],
            ['开始', time(instance.startDate), '结束', instance.endDate ? time(instance.endDate) : '—'],
          ],
        },
        layout: 'lightHorizontalLines',
        margin: [0, 0, 0, 10],
      },
      { text: `记录（北京时间，共 ${rows.length} 条）`, bold: true, margin: [0, 0, 0, 4] },
      {
        table: { headerRows: 1, widths: [92, 120, '*', 60, 48, 170], body: [header, ...rows] },
        layout: 'lightHorizontalLines',
        fontSize: 8,
      },
      { text: `打印时间：${time(printedAt.toISOString())}`, fontSize: 8, color: '#666666', margin: [0, 8, 0, 0] },
    ],
  });
}
