import { z } from 'zod';
import { invalidArgument } from '../runtime/errors.js';
import type { DocumentRow } from './metadata.js';

/**
 * Camunda's DocumentMetadata as a client sends it (the `metadata` part of an upload, one entry of
 * `metadataList`). `size` is accepted and ignored: the size is what arrived, as in Camunda.
 */
const metadataSchema = z.object({
  contentType: z.string().max(255).optional(),
  fileName: z.string().max(1024).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  size: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).optional(),
  processDefinitionId: z.string().max(256).optional(),
  processInstanceKey: z
    .union([z.string().regex(/^\d{1,19}$/, 'expected a key (string of digits)'), z.number().int().nonnegative()])
    .transform(String)
    .optional(),
  customProperties: z.record(z.string(), z.unknown()).optional(),
});
export type DocumentMetadataInput = z.infer<typeof metadataSchema>;

/** Parses one metadata object (already JSON-decoded); a bad field is a 400 naming it under `name`. */
export function parseMetadata(value: unknown, name: string): DocumentMetadataInput {
  const parsed = metadataSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [name, ...issue.path].join('.');
  throw invalidArgument(`Request property [${field}] is invalid: ${issue.message}`);
}

/** A multipart text part holding JSON; a part that is not JSON is a 400 naming it. */
export function jsonPart(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidArgument(`Request property [${name}] is invalid: not valid JSON`);
  }
}

/** Camunda's DocumentReference: what a process variable keeps to find the document again. */
export function documentReference(d: DocumentRow) {
  return {
    'camunda.document.type': 'camunda' as const,
    storeId: d.storeId,
    documentId: d.documentId,
    contentHash: d.contentHash,
    metadata: {
      ...(d.contentType !== null ? { contentType: d.contentType } : {}),
      ...(d.fileName !== null ? { fileName: d.fileName } : {}),
      ...(d.expiresAt !== null ? { expiresAt: d.expiresAt.toISOString() } : {}),
      size: d.size,
      ...(d.processDefinitionId !== null ? { processDefinitionId: d.processDefinitionId } : {}),
      ...(d.processInstanceKey !== null ? { processInstanceKey: d.processInstanceKey } : {}),
      customProperties: d.customProperties,
    },
  };
}
