import type { LintProblem } from '../../../contracts/process-check';
import type { ElementSpan, Timeline, TimelineEntry } from '../../../contracts/timeline';
import { api } from './http';

export interface Task {
  userTaskKey: string;
  name: string;
  state: string;
  assignee?: string;
  elementId: string;
  candidateGroups: string[];
  processDefinitionId: string;
  processName?: string;
  processInstanceKey: string;
  creationDate: string;
  dueDate?: string;
  priority: number;
  /** The case's customer (process variables accountNo / customerName), when it has one. */
  customer?: { accountNo?: string; customerName?: string } | null;
}
export type View = 'mine' | 'group' | 'all';
export interface TaskList {
  items: Task[];
  total: number;
  counts: Partial<Record<View, number>>;
}
export interface TaskQuery {
  view: View;
  process?: string;
  due?: 'any' | 'overdue' | 'today';
  minPriority?: number;
  /** Account number or customer name, matched on the tasks' process variables. */
  customer?: string;
  sort?: 'creationDate' | 'dueDate' | 'priority';
  order?: 'ASC' | 'DESC';
}
export interface OpenedTask {
  task: Task;
  form: Record<string, unknown> | null;
  variables: Record<string, unknown>;
}
export interface ProcessDefinition {
  processDefinitionKey: string;
  processDefinitionId: string;
  name?: string;
  version: number;
  resourceName?: string;
}
export type { LintProblem };
export interface TaskFormLink {
  elementId: string;
  elementName: string | null;
  formId: string | null;
  formKey: string | null;
  externalReference: string | null;
  form: { formId: string; resourceName: string; folder: string } | null;
}
export interface ProcessInstance {
  processInstanceKey: string;
  processDefinitionId: string;
  processDefinitionName?: string;
  processDefinitionVersion: number;
  state: string;
  startDate: string;
  endDate?: string;
  hasIncident: boolean;
}
export interface Incident {
  incidentKey: string;
  processDefinitionId: string;
  processInstanceKey: string;
  elementId: string;
  errorType: string;
  errorMessage: string;
  creationTime: string;
  jobKey?: string;
}
export type { ElementSpan, Timeline, TimelineEntry };
/** The auditors' instance page (GET /api/instances/:key): the instance, its diagram, incidents and timeline. */
export interface InstancePage {
  instance: ProcessInstance;
  xml: string;
  incidents: Incident[];
  timeline: Timeline | null;
}

const qs = (q: object) =>
  new URLSearchParams(
    Object.entries(q)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  ).toString();
const k = encodeURIComponent;

export const tasksApi = {
  list: (q: TaskQuery) => api<TaskList>('GET', `/api/tasks?${qs(q)}`),
  open: (key: string) => api<OpenedTask>('GET', `/api/tasks/${k(key)}`),
  claim: (key: string) => api<void>('POST', `/api/tasks/${k(key)}/claim`),
  unclaim: (key: string) => api<void>('POST', `/api/tasks/${k(key)}/unclaim`),
  assign: (key: string, assignee: string) => api<void>('POST', `/api/tasks/${k(key)}/assign`, { assignee }),
  complete: (key: string, variables: Record<string, unknown>) =>
    api<void>('POST', `/api/tasks/${k(key)}/complete`, { variables }),
};

export const processesApi = {
  list: () => api<{ items: ProcessDefinition[] }>('GET', '/api/processes'),
  xml: async (key: string) => {
    const res = await fetch(`/api/processes/${k(key)}/xml`, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.text();
  },
  forms: (key: string) => api<{ items: TaskFormLink[] }>('GET', `/api/processes/${k(key)}/forms`),
  lint: (xml: string) => api<{ problems: LintProblem[] }>('POST', '/api/processes/lint', { xml }),
  remove: (key: string) => api<void>('DELETE', `/api/processes/${k(key)}`),
  deploy: (name: string, xml: string) =>
    api<{ processes: Array<{ processDefinitionVersion: number; processDefinitionId: string }> }>(
      'POST',
      '/api/processes/deployments',
      { name, xml },
    ),
};

export const instancesApi = {
  search: (q: { process?: string; state?: string; from?: string; to?: string }) =>
    api<{ items: ProcessInstance[]; total: number }>('GET', `/api/instances?${qs(q)}`),
  get: (key: string) => api<InstancePage>('GET', `/api/instances/${k(key)}`),
};

export const incidentsApi = {
  list: () => api<{ items: Incident[] }>('GET', '/api/incidents'),
  retry: (key: string) => api<void>('POST', `/api/incidents/${k(key)}/retry`),
};
