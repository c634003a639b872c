import type { ElementBehavior } from '../behavior.js';
import type { Expr } from '../../model/types.js';
import type { InstanceContext } from '../../runtime/context.js';
import type { UserTaskRow } from '../../store/rows.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { jobTaskBehavior } from './job-task.js';

/** "a, b" (static) or a FEEL list/string → list of strings. */
function listOf(ctx: InstanceContext, e: Expr | undefined, scopeKey: string): string[] {
  if (!e) return [];
  if ('static' in e)
    return e.static
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const { value } = ctx.evaluate(e, scopeKey);
  if (value === null) return [];
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new IncidentError(
    'EXTRACT_VALUE_ERROR',
    `Expected result of the expression '${e.feel}' to be 'ARRAY' of strings, but was '${JSON.stringify(value)}'.`,
  );
}

function dateOf(ctx: InstanceContext, e: Expr | undefined, scopeKey: string): Date | null {
  if (!e || !e.raw.trim()) return null;
  const value = ctx.evaluate(e, scopeKey).value;
  if (value === null || value === '') return null;
  const d = typeof value === 'string' ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime()) || !/T/.test(value as string))
    throw new IncidentError(
      'EXTRACT_VALUE_ERROR',
      `Expected result of the expression '${e.raw}' to be a valid date-time string, but was '${JSON.stringify(value)}'.`,
    );
  return d;
}

/**
 * zeebe:userTask (Camunda user task): activation creates a user_task row with assignee, candidates,
 * dates, priority and form; the element waits for /v2/user-tasks/{key}/completion. Without
 * zeebe:userTask it is Zeebe's job-based user task (job type io.camunda.zeebe:userTask).
 */
export const userTaskBehavior: ElementBehavior = {
  validate(node) {
    if (!node.userTask) return [];
    const u = node.userTask;
    if (u.formId && u.formKey) return ["Form definition must have either 'formId' or 'formKey', not both"];
    return [];
  },
  onActivate(ctx, el, node) {
    const u = node.userTask;
    if (!u) return jobTaskBehavior.onActivate(ctx, el, node);
    const assignee =
      u.assignee && u.assignee.raw.trim()
        ? (ctx.evaluateAs(u.assignee, el.key, 'STRING_OR_NULL') as string | null)
        : null;
    let priority = 50;
    if (u.priority && u.priority.raw.trim()) {
      priority = ctx.evaluateAs(u.priority, el.key, 'NUMBER') as number;
      if (!Number.isInteger(priority) || priority < 0 || priority > 100)
        throw new IncidentError(
          'EXTRACT_VALUE_ERROR',
          `Expected priority to be an integer between 0 and 100, but was '${priority}'.`,
        );
    }
    let formKey: string | null = null;
    if (u.formId) {
      formKey = ctx.forms.get(u.formId) ?? null;
      if (!formKey)
        throw new IncidentError(
          'FORM_NOT_FOUND',
          `Expected to find a form with id '${u.formId}', but no form with this id is found, at least a form with this id should be available.`,
        );
    } else if (u.formKey) {
      const m = /(\d+)$/.exec(u.formKey);
      formKey = m ? m[1] : null;
    }
    const task: UserTaskRow = {
      key: ctx.nextKey(),
      state: 'CREATED',
      element_instance_key: el.key,
      process_instance_key: ctx.pi.key,
      process_definition_key: ctx.pi.process_definition_key,
      bpmn_process_id: ctx.pi.bpmn_process_id,
      version: ctx.pi.version,
      element_id: el.element_id,
      name: node.name ?? null,
      assignee: assignee || null,
      candidate_groups: listOf(ctx, u.candidateGroups, el.key),
      candidate_users: listOf(ctx, u.candidateUsers, el.key),
      due_date: dateOf(ctx, u.dueDate, el.key),
      follow_up_date: dateOf(ctx, u.followUpDate, el.key),
      priority,
      form_key: formKey,
      external_form_reference: u.externalReference
        ? ((ctx.evaluate(u.externalReference, el.key).value as string | null) ?? null)
        : null,
      custom_headers: node.taskHeaders,
      tenant_id: ctx.pi.tenant_id,
      creation_date: ctx.now,
      completion_date: null,
    };
    ctx.activated(el);
    ctx.userTasks.set(task.key, task);
    ctx.save('user_task', task);
    const value = userTaskRecordValue(task);
    ctx.record('USER_TASK', 'CREATING', task.key, value, el);
    ctx.record('USER_TASK', 'CREATED', task.key, value, el);
  },
};

export function userTaskRecordValue(t: UserTaskRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    userTaskKey: t.key,
    assignee: t.assignee ?? '',
    candidateGroups: t.candidate_groups,
    candidateUsers: t.candidate_users,
    dueDate: t.due_date?.toISOString() ?? '',
    followUpDate: t.follow_up_date?.toISOString() ?? '',
    priority: t.priority,
    formKey: t.form_key ?? '-1',
    elementInstanceKey: t.element_instance_key,
    ...extra,
  };
}
