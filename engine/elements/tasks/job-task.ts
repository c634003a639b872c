import type { ElementBehavior } from '../behavior.js';
import type { FlowNode } from '../../model/types.js';

export function taskDefinitionErrors(node: FlowNode): string[] {
  if (!node.taskDefinition) return ["Must have exactly one 'zeebe:taskDefinition' extension element"];
  if (!node.taskDefinition.type.raw.trim())
    return ["Expected attribute 'type' of 'zeebe:taskDefinition' to be present and not empty"];
  return [];
}

/**
 * Service and send tasks (and job-based script, user and business-rule tasks): activation creates a job;
 * the element waits until the job is completed (runtime/commands/jobs.ts) or an error is thrown.
 */
export const jobTaskBehavior: ElementBehavior = {
  validate(node) {
    return taskDefinitionErrors(node);
  },
  onActivate(ctx, el, node) {
    ctx.createJob(el, node);
    ctx.activated(el);
  },
};
