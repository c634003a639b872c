import type { Runtime } from '../runtime.js';
import type { InstanceContext } from '../context.js';
import type { ElementInstanceRow, UserTaskRow } from '../../store/rows.js';
import { invalidState, notFound } from '../errors.js';
import { beginTransition, valuesOf, type TaskValues } from '../task-listeners.js';

/**
 * The user task commands: each starts a lifecycle transition (runtime/task-listeners.ts) that takes
 * effect at once or once the task's listeners for it have completed. A task whose transition waits
 * for listeners rejects further commands (INVALID_STATE), so the inbox cannot complete it twice.
 */
async function onUserTask(
  rt: Runtime,
  key: string,
  command: string,
  actor: string | null,
  fn: (ctx: InstanceContext, task: UserTaskRow, el: ElementInstanceRow) => void,
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
      const el = task && ctx.element(task.element_instance_key);
      if (!task || !el) throw missing();
      if (task.state !== 'CREATED')
        throw invalidState(
          `Command '${command}' rejected with code 'INVALID_STATE': Expected to ${verb} user task with key '${key}', but it is in state '${task.state}'`,
        );
      fn(ctx, task, el);
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
  await onUserTask(rt, key, 'ASSIGN', actor, (ctx, task, el) => {
    if (req.allowOverride === false && task.assignee)
      throw invalidState(
        `Command 'CLAIM' rejected with code 'INVALID_STATE': Expected to claim user task with key '${key}', but it has already been assigned`,
      );
    beginTransition(ctx, task, el, {
      eventType: 'assigning',
      action: req.action || (req.allowOverride === false ? 'claim' : 'assign'),
      changed: ['assignee'],
      values: { ...valuesOf(task), assignee: req.assignee || null },
    });
  });
}

export async function unassignUserTask(rt: Runtime, key: string, actor: string | null): Promise<void> {
  await onUserTask(rt, key, 'UNASSIGN', actor, (ctx, task, el) => {
    beginTransition(ctx, task, el, {
      eventType: 'assigning',
      action: 'unassign',
      changed: ['assignee'],
      values: { ...valuesOf(task), assignee: null },
    });
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
  await onUserTask(rt, key, 'UPDATE', actor, (ctx, task, el) => {
    const values: TaskValues = valuesOf(task);
    const changed: string[] = [];
    const given = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;
    if (given(changeset.dueDate)) {
      values.dueDate = changeset.dueDate ? new Date(changeset.dueDate).toISOString() : null;
      changed.push('dueDate');
    }
    if (given(changeset.followUpDate)) {
      values.followUpDate = changeset.followUpDate ? new Date(changeset.followUpDate).toISOString() : null;
      changed.push('followUpDate');
    }
    if (given(changeset.candidateUsers)) {
      values.candidateUsersList = changeset.candidateUsers;
      changed.push('candidateUsersList');
    }
    if (given(changeset.candidateGroups)) {
      values.candidateGroupsList = changeset.candidateGroups;
      changed.push('candidateGroupsList');
    }
    if (given(changeset.priority)) {
      values.priority = changeset.priority;
      changed.push('priority');
    }
    beginTransition(ctx, task, el, { eventType: 'updating', action: action || 'update', changed, values });
  });
}

export async function completeUserTask(
  rt: Runtime,
  key: string,
  variables: Record<string, unknown>,
  action: string | null,
  actor: string | null,
): Promise<void> {
  await onUserTask(rt, key, 'COMPLETE', actor, (ctx, task, el) => {
    beginTransition(ctx, task, el, {
      eventType: 'completing',
      action: action || 'complete',
      changed: [],
      values: valuesOf(task),
      variables,
    });
  });
}
