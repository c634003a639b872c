import type { ElementBehavior } from '../behavior.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { evaluateString, checkSyntax } from '../../feel/index.js';
import { errorCode } from './definitions.js';

/**
 * Error end event: throws its error (code from errorRef, static or FEEL). The innermost matching
 * boundary event or error event sub-process catches it (runtime/events/catch-error.ts); uncaught, the
 * core raises an UNHANDLED_ERROR_EVENT incident on this element.
 */
export const errorEndEventBehavior: ElementBehavior = {
  validate(node) {
    const code = errorCode(node);
    if (!code || !code.raw.trim()) return ['Must reference an error with an error code'];
    if ('feel' in code) {
      const err = checkSyntax(code.feel);
      return err ? [err] : [];
    }
    return [];
  },
  onActivate(ctx, el, node) {
    const code = evaluateString(errorCode(node)!.raw, ctx.visibleVariables(el.key), { now: ctx.now });
    if (!code.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', code.message);
    ctx.activated(el);
    ctx.throwError(el, code.value, '', null);
  },
};
