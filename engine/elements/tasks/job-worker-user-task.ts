import type { ElementInstanceRow, JobRow } from '../../store/rows.js';
import type { FlowNode } from '../../model/types.js';
import type { InstanceContext } from '../../runtime/context.js';
import { assigneeOf, dateTextOf, listOf } from './user-task-values.js';

/**
 * Zeebe's job-worker user task (a bpmn:userTask without zeebe:userTask): a job of type
 * io.camunda.zeebe:userTask (parse.ts sets it, ignoring any zeebe:taskDefinition). The assignment,
 * schedule and form are evaluated when the job is created and travel as reserved headers, candidate
 * lists as JSON-encoded lists; a header whose value is empty is not passed (Zeebe's BpmnJobBehavior).
 */
export function createJobWorkerUserTaskJob(ctx: InstanceContext, el: ElementInstanceRow, node: FlowNode): JobRow {
  const u = node.jobWorkerUserTask ?? {};
  const headers: Record<string, string> = { ...node.taskHeaders };
  const put = (name: string, value: string | null) => {
    if (value) headers[`io.camunda.zeebe:${name}`] = value;
  };
  const list = (values: string[]) => (values.length ? JSON.stringify(values) : null);
  put('assignee', assigneeOf(ctx, u.assignee, el.key));
  put('candidateGroups', list(listOf(ctx, u.candidateGroups, el.key)));
  put('candidateUsers', list(listOf(ctx, u.candidateUsers, el.key)));
  put('dueDate', dateTextOf(ctx, u.dueDate, el.key));
  put('followUpDate', dateTextOf(ctx, u.followUpDate, el.key));
  put('formKey', u.formKey?.trim() || null);
  return ctx.createJobOf(el, node.taskDefinition!, headers);
}
