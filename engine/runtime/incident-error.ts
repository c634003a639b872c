/** Zeebe's incident error types. */
export type IncidentErrorType =
  | 'JOB_NO_RETRIES'
  | 'EXTRACT_VALUE_ERROR'
  | 'CONDITION_ERROR'
  | 'IO_MAPPING_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'CALLED_ELEMENT_ERROR'
  | 'MESSAGE_SIZE_EXCEEDED'
  | 'FORM_NOT_FOUND'
  | 'RESOURCE_NOT_FOUND'
  | 'EXECUTION_LISTENER_NO_RETRIES'
  | 'TASK_LISTENER_NO_RETRIES'
  | 'AD_HOC_SUB_PROCESS_NO_RETRIES'
  | 'DECISION_EVALUATION_ERROR'
  | 'CALLED_DECISION_ERROR'
  | 'UNKNOWN';

/** Thrown by a behaviour step: the runtime raises an incident on the element and stops that path. */
export class IncidentError extends Error {
  constructor(
    readonly errorType: IncidentErrorType,
    message: string,
  ) {
    super(message);
  }
}
