import type { Timeline, TimelineEntry } from '../engine/index.js';
import { renderPdf } from './render.js';

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

const STATES: Record<string, string> = { ACTIVE: '进行中', COMPLETED: '已完成', TERMINATED: '已终止' };
const USER_TASK: Record<string, string> = {
  CREATED: '任务创建',
  ASSIGNED: '任务领取/指派',
  UPDATED: '任务更新',
  COMPLETED: '任务完成',
  CANCELED: '任务取消',
};
const JOB: Record<string, string> = {
  CREATED: '作业创建',
  COMPLETED: '作业完成',
  FAILED: '作业失败',
  ERROR_THROWN: '抛出业务错误',
  TIMED_OUT: '作业超时',
  RETRIES_UPDATED: '重试次数更新',
  CANCELED: '作业取消',
};

const ELEMENT_TYPES: Record<string, string> = {
  PROCESS: '流程',
  SUB_PROCESS: '子流程',
  EVENT_SUB_PROCESS: '事件子流程',
  START_EVENT: '开始事件',
  INTERMEDIATE_CATCH_EVENT: '中间捕获事件',
  INTERMEDIATE_THROW_EVENT: '中间抛出事件',
  BOUNDARY_EVENT: '边界事件',
  END_EVENT: '结束事件',
  SERVICE_TASK: '服务任务',
  RECEIVE_TASK: '接收任务',
  USER_TASK: '人工任务',
  SEND_TASK: '发送任务',
  SCRIPT_TASK: '脚本任务',
  BUSINESS_RULE_TASK: '业务规则任务',
  CALL_ACTIVITY: '调用活动',
  MULTI_INSTANCE_BODY: '多实例',
  EXCLUSIVE_GATEWAY: '排他网关',
  INCLUSIVE_GATEWAY: '包容网关',
  PARALLEL_GATEWAY: '并行网关',
  EVENT_BASED_GATEWAY: '事件网关',
};

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
