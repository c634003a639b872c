import type { ElementBehavior } from '../behavior.js';
import { conditionalForkBehavior } from './conditions.js';

/**
 * Fork: every flow whose condition is true (else the default, else an incident). Join: the runtime
 * fires it when each incoming flow was taken or can no longer be reached by an active path.
 */
export const inclusiveGatewayBehavior: ElementBehavior = conditionalForkBehavior(false);
