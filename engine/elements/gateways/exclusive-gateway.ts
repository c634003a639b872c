import type { ElementBehavior } from '../behavior.js';
import { conditionalForkBehavior } from './conditions.js';

/** First flow whose condition is true, else the default flow, else a CONDITION_ERROR incident. */
export const exclusiveGatewayBehavior: ElementBehavior = conditionalForkBehavior(true);
