import type { ElementBehavior } from '../behavior.js';
import { jobTaskBehavior, taskDefinitionErrors } from './job-task.js';

/**
 * Script task: with zeebe:script the FEEL expression is evaluated on activation and its result is
 * handled like job variables (propagated, or local when output mappings exist); with
 * zeebe:taskDefinition it is a job like a service task.
 */
export const scriptTaskBehavior: ElementBehavior = {
  validate(node) {
    if (node.script) {
      const errors: string[] = [];
      if (!node.script.expression.raw.trim())
        errors.push("Expected attribute 'expression' of 'zeebe:script' to be present");
      else if (!('feel' in node.script.expression))
        errors.push(`Expected expression but found static value '${node.script.expression.raw}'`);
      if (!node.script.resultVariable)
        errors.push("Expected attribute 'resultVariable' of 'zeebe:script' to be present");
      return errors;
    }
    if (node.taskDefinition) return taskDefinitionErrors(node);
    return ["Must have exactly one 'zeebe:script' or 'zeebe:taskDefinition' extension element"];
  },
  onActivate(ctx, el, node) {
    if (!node.script) return jobTaskBehavior.onActivate(ctx, el, node);
    const { value } = ctx.evaluate(node.script.expression, el.key);
    ctx.temporaryVariables.set(el.key, { [node.script.resultVariable]: value });
    ctx.activated(el);
    ctx.complete(el);
  },
};
