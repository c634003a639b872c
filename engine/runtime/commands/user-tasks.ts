import type { Runtime } from '../runtime.js';
import type { InstanceContext } from '../context.js';
import type { UserTaskRow } from '../../store/rows.js';
import { invalidState, notFound } from '../errors.js';
import { userTaskRecordValue } from '../../elements/tasks/user-task.js';

async function onUserTask(
  rt: Runtime,
  key: string,
  command: string,
  actor: string | null,
  fn: (ctx: InstanceContext, task: UserTaskRow) => void,
): Promise<void> {
  const verb = command.toLowerCase();
  const missing = () =>
    notFound(
      `Command '${command}' rejected with code 'NOT_FOUND': Expected to ${verb} user task with key '${key}', but no such user task was found`,
    );
  if (!/^\d{1,19}$/.test(key)) throw missing();
  await rt.withInstance(
    { table: 'user_task', key },
    actor,
    async (ctx) => {
      // Zeebe deletes a user task from its state when it completes or is cancelled: later commands
      // on it are NOT_FOUND (404), as Camunda answers them; our row stays for the query side.
      const task = ctx.userTasks.get(key);
      if (!task || task.state !== 'CREATED') throw missing();
      fn(ctx, task);
    },
    missing().detail,
  );
}

export async function assignUserTask(
  rt: Runtime,
  key: string,
  req: { assignee: string; allowOverride?: boolean | null; action?: string | null },
  actor: string | null,
): Promise<void> {
  await onUserTask(rt, key, 'ASSIGN', actor, (ctx, task) => {
    if (req.allowOverride === false && task.assignee)
      throw invalidState(
        `Command 'CLAIM' rejected with code 'INVALID_STATE': Expected to claim user task with key '${key}', but it has already been assigned`,
      );
    task.assignee = req.assignee;
    ctx.save('user_task', task);
    const el = ctx.element(task.element_instance_key);
    const value = userTaskRecordValue(task, { action: req.action || 'assign', changedAttributes: ['assignee'] });
    ctx.record('USER_TASK', 'ASSIGNING', task.key, value, el);
    ctx.record('USER_TASK', 'ASSIGNED', task.key, value, el);
  });
}

export async function unassignUserTask(rt: Runtime, key: string, actor: string | null): Promise<void> {
  await onUserTask(rt, key, 'UNASSIGN', actor, (ctx, task) => {
    task.assignee = null;
    ctx.save('user_task', task);
    const el = ctx.element(task.element_instance_key);
    const value = userTaskRecordValue(task, { action: 'unassign', changedAttributes: ['assignee'] });
    ctx.record('USER_TASK', 'ASSIGNING', task.key, value, el);
    ctx.record('USER_TASK', 'ASSIGNED', task.key, value, el);
  });
}

export interface UserTaskChangeset {
  dueDate?: string | null;
  followUpDate?: string | null;
  candidateUsers?: string[] | null;
  candidateGroups?: string[] | null;
  priority?: number | null;
}

export async function updateUserTask(
  rt: Runtime,
  key: string,
  changeset: UserTaskChangeset,
  action: string | null,
  actor: string | null,
): Promise<void> {
  await onUserTask(rt, key, 'UPDATE', actor, (ctx, task) => {
    const changed: string[] = [];
    if (changeset.dueDate !== undefined && changeset.dueDate !== null) {
      task.due_date = changeset.dueDate ? new Date(changeset.dueDate) : null;
      changed.push('dueDate');
    }
    if (changeset.followUpDate !== undefined && changeset.followUpDate !== null) {
      task.follow_up_date = changeset.followUpDate ? new Date(changeset.followUpDate) : null;
      changed.push('followUpDate');
    }
    if (changeset.candidateUsers !== undefined && changeset.candidateUsers !== null) {
      task.candidate_users = changeset.candidateUsers;
      changed.push('candidateUsersList');
    }
    if (changeset.candidateGroups !== undefined && changeset.candidateGroups !== null) {
      task.candidate_groups = changeset.candidateGroups;
      changed.push('candidateGroupsList');
    }
    if (changeset.priority !== undefined && changeset.priority !== null) {
      task.priority = changeset.priority;
      changed.push('priority');
    }
    ctx.save('user_task', task);
    const el = ctx.element(task.element_instance_key);
    const value = userTaskRecordValue(task, { action: action || 'update', changedAttributes: changed });
    ctx.record('USER_TASK', 'UPDATING', task.key, value, el);
    ctx.record('USER_TASK', 'UPDATED', task.key, value, el);
  });
}

export async function completeUserTask(
  rt: Runtime,
  key: string,
  variables: Record<string, unknown>,
  action: string | null,
  actor: string | null,
): Promise<void> {
  await onUserTask(rt, key, 'COMPLETE', actor, (ctx, task) => {
    task.state = 'COMPLETED';
    task.completion_date = ctx.now;
    ctx.save('user_task', task);
    const el = ctx.element(task.element_instance_key);
    const value = userTaskRecordValue(task, { action: action || 'complete', variables });
    ctx.record('USER_TASK', 'COMPLETING', task.key, value, el);
    ctx.record('USER_TASK', 'COMPLETED', task.key, value, el);
    if (!el || el.state !== 'ACTIVATED') return;
    ctx.temporaryVariables.set(el.key, variables);
    ctx.complete(el);
  });
}
