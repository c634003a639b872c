import type { ElementInstanceRow, UserTaskRow } from '../../store/rows.js';
import type { UnitOfWork } from '../unit-of-work.js';

/** A user task whose element was terminated (creation: elements/tasks/user-task.ts; commands: commands/user-tasks.ts). */
export function cancelUserTask(ctx: UnitOfWork, task: UserTaskRow, el: ElementInstanceRow): void {
  task.state = 'CANCELED';
  task.completion_date = ctx.now;
  ctx.save('user_task', task);
  ctx.record('USER_TASK', 'CANCELED', task.key, { assignee: task.assignee ?? '' }, el);
}
