import type { PermissionTypeEnum, ResourceTypeEnum } from '@camunda8/orchestration-cluster-api';

/**
 * The permission types each resource type takes in Camunda 8.8 (its Identity's authorization model); the admin
 * screen offers these and /api/admin refuses a permission its resource type does not take before asking the
 * engine. Typed against the official client's enums, so a renamed value fails the type check.
 */
export const PERMISSIONS_BY_RESOURCE: Readonly<Record<ResourceTypeEnum, readonly PermissionTypeEnum[]>> = {
  PROCESS_DEFINITION: [
    'CREATE_PROCESS_INSTANCE',
    'READ_PROCESS_DEFINITION',
    'READ_PROCESS_INSTANCE',
    'READ_USER_TASK',
    'UPDATE_PROCESS_INSTANCE',
    'UPDATE_USER_TASK',
    'MODIFY_PROCESS_INSTANCE',
    'CANCEL_PROCESS_INSTANCE',
    'DELETE_PROCESS_INSTANCE',
  ],
  RESOURCE: ['CREATE', 'READ', 'DELETE_DRD', 'DELETE_FORM', 'DELETE_PROCESS', 'DELETE_RESOURCE'],
  MESSAGE: ['CREATE', 'READ'],
  DECISION_DEFINITION: [
    'CREATE_DECISION_INSTANCE',
    'READ_DECISION_DEFINITION',
    'READ_DECISION_INSTANCE',
    'DELETE_DECISION_INSTANCE',
  ],
  DECISION_REQUIREMENTS_DEFINITION: ['READ'],
  DOCUMENT: ['CREATE', 'READ', 'DELETE'],
  USER: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  ROLE: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  GROUP: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  MAPPING_RULE: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  AUTHORIZATION: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  TENANT: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  SYSTEM: ['READ', 'READ_USAGE_METRIC', 'UPDATE'],
  BATCH: [
    'CREATE',
    'CREATE_BATCH_OPERATION_CANCEL_PROCESS_INSTANCE',
    'CREATE_BATCH_OPERATION_DELETE_PROCESS_INSTANCE',
    'CREATE_BATCH_OPERATION_MIGRATE_PROCESS_INSTANCE',
    'CREATE_BATCH_OPERATION_MODIFY_PROCESS_INSTANCE',
    'CREATE_BATCH_OPERATION_RESOLVE_INCIDENT',
    'CREATE_BATCH_OPERATION_DELETE_DECISION_INSTANCE',
    'CREATE_BATCH_OPERATION_DELETE_DECISION_DEFINITION',
    'CREATE_BATCH_OPERATION_DELETE_PROCESS_DEFINITION',
    'READ',
    'UPDATE',
  ],
  COMPONENT: ['ACCESS'],
};

export const RESOURCE_TYPES = Object.keys(PERMISSIONS_BY_RESOURCE) as [ResourceTypeEnum, ...ResourceTypeEnum[]];
