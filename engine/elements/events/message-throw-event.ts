import type { ElementBehavior } from '../behavior.js';
import { jobTaskBehavior } from '../tasks/job-task.js';

/**
 * Message intermediate throw and end events are job-based in Zeebe (zeebe:taskDefinition): a worker
 * sends the message; the event completes with the job.
 */
export const messageThrowEventBehavior: ElementBehavior = jobTaskBehavior;
