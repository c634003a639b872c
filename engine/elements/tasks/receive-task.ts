import type { ElementBehavior } from '../behavior.js';
import { intermediateCatchEventBehavior } from '../events/intermediate-catch-event.js';

/** Receive task: waits for its message like a message intermediate catch event (Zeebe treats them alike). */
export const receiveTaskBehavior: ElementBehavior = intermediateCatchEventBehavior;
