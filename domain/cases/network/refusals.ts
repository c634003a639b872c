import { DomainError } from '../../errors.js';
import { CasesError } from '../errors.js';

/**
 * A case step that calls another module (accounts' ledger, repair's tickets) refuses in the cases' name, so the
 * case's job worker turns the refusal into a BPMN error the model catches, as it does with the cases' own.
 */
export async function asCaseRefusal<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof DomainError && !(err instanceof CasesError))
      throw new CasesError(err.status, err.code, err.message, err.field);
    throw err;
  }
}
