// Engine codes that people read, in English: the web app's en locale takes them from here. Same codes as zh-CN.ts
// (the type makes a missing or extra code a compile error).
import type { ProcessLabels } from './zh-CN.js';

export const processLabels: ProcessLabels = {
  instanceState: { ACTIVE: 'Active', COMPLETED: 'Completed', TERMINATED: 'Terminated' },
  userTaskIntent: {
    CREATED: 'task created',
    ASSIGNED: 'task claimed/assigned',
    UPDATED: 'task updated',
    COMPLETED: 'task completed',
    CANCELED: 'task cancelled',
  },
  jobIntent: {
    CREATED: 'job created',
    COMPLETED: 'job completed',
    FAILED: 'job failed',
    ERROR_THROWN: 'business error thrown',
    TIMED_OUT: 'job timed out',
    RETRIES_UPDATED: 'retries updated',
    CANCELED: 'job cancelled',
    YIELDED: 'job yielded',
  },
  elementType: {
    PROCESS: 'process',
    SUB_PROCESS: 'sub-process',
    EVENT_SUB_PROCESS: 'event sub-process',
    START_EVENT: 'start event',
    INTERMEDIATE_CATCH_EVENT: 'intermediate catch event',
    INTERMEDIATE_THROW_EVENT: 'intermediate throw event',
    BOUNDARY_EVENT: 'boundary event',
    END_EVENT: 'end event',
    SERVICE_TASK: 'service task',
    RECEIVE_TASK: 'receive task',
    USER_TASK: 'user task',
    MANUAL_TASK: 'manual task',
    TASK: 'task',
    SEND_TASK: 'send task',
    SCRIPT_TASK: 'script task',
    BUSINESS_RULE_TASK: 'business rule task',
    CALL_ACTIVITY: 'call activity',
    MULTI_INSTANCE_BODY: 'multi-instance',
    EXCLUSIVE_GATEWAY: 'exclusive gateway',
    INCLUSIVE_GATEWAY: 'inclusive gateway',
    PARALLEL_GATEWAY: 'parallel gateway',
    EVENT_BASED_GATEWAY: 'event-based gateway',
    SEQUENCE_FLOW: 'sequence flow',
  },
};
