import { z } from 'zod';

/** int64 as the official client sends it: a JSON string of digits (numbers accepted too). */
export const int64 = z
  .union([z.number().int(), z.string().regex(/^-?\d{1,19}$/, 'expected an int64 (string of digits)')])
  .transform((v) => Number(v));

export const key = z
  .union([z.string().regex(/^\d{1,19}$/, 'expected a key (string of digits)'), z.number().int().nonnegative()])
  .transform((v) => String(v));

export const variables = z.record(z.string(), z.unknown());

export const tenantId = z
  .string()
  .min(1)
  .max(256)
  .regex(/^(<default>|[A-Za-z0-9_@.+-]+)$/);

export const createProcessInstance = z.object({
  processDefinitionKey: key.optional(),
  processDefinitionId: z.string().min(1).optional(),
  processDefinitionVersion: z.number().int().optional(),
  variables: variables.optional(),
  tenantId: tenantId.optional(),
  operationReference: int64.optional(),
  startInstructions: z.array(z.object({ elementId: z.string().min(1) })).optional(),
  runtimeInstructions: z.array(z.unknown()).optional(),
  awaitCompletion: z.boolean().optional(),
  fetchVariables: z.array(z.string()).optional(),
  requestTimeout: int64.optional(),
  tags: z.array(z.string()).max(10).optional(),
});

export const activateJobs = z.object({
  type: z.string().min(1),
  worker: z.string().optional(),
  timeout: int64,
  maxJobsToActivate: z.number().int(),
  fetchVariable: z.array(z.string()).optional(),
  requestTimeout: int64.optional(),
  tenantIds: z.array(tenantId).optional(),
});

export const completeJob = z.object({
  variables: variables.nullable().optional(),
  result: z.unknown().optional(),
});

export const failJob = z.object({
  retries: z.number().int().optional(),
  errorMessage: z.string().optional(),
  retryBackOff: int64.optional(),
  variables: variables.optional(),
});

export const throwJobError = z.object({
  errorCode: z.string().min(1),
  errorMessage: z.string().nullable().optional(),
  variables: variables.nullable().optional(),
});

export const updateJob = z.object({
  changeset: z.object({
    retries: z.number().int().nullable().optional(),
    timeout: int64.nullable().optional(),
  }),
  operationReference: int64.optional(),
});

export const operationOnly = z.object({ operationReference: int64.optional() }).nullable().optional();

export const assignUserTask = z.object({
  assignee: z.string().min(1),
  allowOverride: z.boolean().nullable().optional(),
  action: z.string().nullable().optional(),
});

export const updateUserTask = z.object({
  changeset: z
    .object({
      dueDate: z.string().nullable().optional(),
      followUpDate: z.string().nullable().optional(),
      candidateUsers: z.array(z.string()).nullable().optional(),
      candidateGroups: z.array(z.string()).nullable().optional(),
      priority: z.number().int().min(0).max(100).nullable().optional(),
    })
    .nullable()
    .optional(),
  action: z.string().nullable().optional(),
});

export const completeUserTask = z.object({
  variables: variables.nullable().optional(),
  action: z.string().nullable().optional(),
});
