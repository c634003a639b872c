import type { UserTaskRow, UserTaskState } from '../../store/rows.js';

/**
 * The USER_TASK record value of a task (creation: elements/tasks/user-task.ts; lifecycle transitions
 * and their listeners: runtime/task-listeners.ts; commands: commands/user-tasks.ts).
 */
export function userTaskRecordValue(t: UserTaskRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    userTaskKey: t.key,
    assignee: t.assignee ?? '',
    candidateGroups: t.candidate_groups,
    candidateUsers: t.candidate_users,
    dueDate: t.due_date ? new Date(t.due_date).toISOString() : '',
    followUpDate: t.follow_up_date ? new Date(t.follow_up_date).toISOString() : '',
    priority: t.priority,
    formKey: t.form_key ?? '-1',
    elementInstanceKey: t.element_instance_key,
    ...extra,
  };
}

/** Task states a terminated element still has to cancel. */
export const OPEN_USER_TASK_STATES = new Set<UserTaskState>([
  'CREATING',
  'CREATED',
  'ASSIGNING',
  'UPDATING',
  'COMPLETING',
]);
