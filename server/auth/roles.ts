/**
 * Who may do what (DESIGN §5). Every /api route names one of these lists; auditors appear only in read lists.
 * User-task candidate groups are role names, so the task workers are every role that does work.
 */
export const TASK_WORKERS = ['clerk', 'cashier', 'reader', 'dispatcher', 'crew', 'engineer', 'manager', 'admin'];
/** Assign tasks to colleagues, deploy diagrams, retry incidents. */
export const MANAGERS = ['manager', 'admin'];
/** Read processes, instances, timelines and incidents. */
export const OVERSIGHT = ['manager', 'admin', 'auditor'];
/** Every role may read tasks (auditors too); the list is here so that routes name it explicitly. */
export const EVERY_ROLE = [...TASK_WORKERS, 'auditor'];
