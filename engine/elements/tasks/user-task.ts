import type { ElementBehavior } from '../behavior.js';
import type { UserTaskRow } from '../../store/rows.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { beginTransition } from '../../runtime/task-listeners.js';
import { taskListenerErrors } from '../../model/task-listener-rules.js';
import { assigneeOf, dateOf, listOf } from './user-task-values.js';
import { createJobWorkerUserTaskJob } from './job-worker-user-task.js';

export { userTaskRecordValue } from '../../runtime/rows/user-task-changes.js';

/**
 * zeebe:userTask (Camunda user task): activation creates the task through the creating transition
 * (runtime/task-listeners.ts: CREATING, its listeners, CREATED; then the model's assignee through the
 * assigning transition, as Zeebe 8.8 does). The element waits for the task's completion. Without
 * zeebe:userTask it is Zeebe's job-worker user task (job-worker-user-task.ts).
 */
export const userTaskBehavior: ElementBehavior = {
  validate(node) {
    if (!node.userTask) return [];
    const u = node.userTask;
    const errors = taskListenerErrors(node);
    if (u.formId && u.formKey) errors.push("Form definition must have either 'formId' or 'formKey', not both");
    return errors;
  },
  onActivate(ctx, el, node) {
    const u = node.userTask;
    if (!u) {
      createJobWorkerUserTaskJob(ctx, el, node);
      ctx.activated(el);
      return;
    }
    const assignee = assigneeOf(ctx, u.assignee, el.key);
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
      state: 'CREATING',
      element_instance_key: el.key,
      process_instance_key: ctx.pi.key,
      process_definition_key: ctx.pi.process_definition_key,
      bpmn_process_id: ctx.pi.bpmn_process_id,
      version: ctx.pi.version,
      element_id: el.element_id,
      name: node.name ?? null,
      // The model's assignee is not the created task's: it is assigned once the task is CREATED.
      assignee: null,
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
      pending: null,
    };
    ctx.activated(el);
    ctx.userTasks.set(task.key, task);
    beginTransition(ctx, task, el, {
      eventType: 'creating',
      action: '',
      changed: [],
      values: {
        assignee: null,
        candidateGroupsList: task.candidate_groups,
        candidateUsersList: task.candidate_users,
        dueDate: task.due_date?.toISOString() ?? null,
        followUpDate: task.follow_up_date?.toISOString() ?? null,
        priority,
      },
      initialAssignee: assignee,
    });
  },
};
