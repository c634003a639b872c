import type { PermissionTypeEnum, ResourceTypeEnum } from '@camunda8/orchestration-cluster-api';
import { PERMISSIONS_BY_RESOURCE as ENGINE_PERMISSIONS } from '../../engine/index.js';

/**
 * The permission types each resource type takes in Camunda 8.8 (its Identity's authorization model); the admin
 * screen offers these and /api/admin refuses a permission its resource type does not take before asking the
 * engine: the engine's own table (one list for both), read through the official client's enums.
 */
export const PERMISSIONS_BY_RESOURCE = ENGINE_PERMISSIONS as Readonly<
  Record<ResourceTypeEnum, readonly PermissionTypeEnum[]>
>;

export const RESOURCE_TYPES = Object.keys(PERMISSIONS_BY_RESOURCE) as [ResourceTypeEnum, ...ResourceTypeEnum[]];
