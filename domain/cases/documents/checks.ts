import type { CaseDocumentKind } from '../../../contracts/case-documents.js';
import { CasesError } from '../errors.js';
import {
  DOCX,
  JPEG,
  PDF,
  PNG,
  TYPE_NAMES,
  WEBP,
  XLSX,
  sniffContentType,
  type DocumentContentType,
} from './content-type.js';

const IMAGES = [JPEG, PNG, WEBP] as const;

/**
 * What each kind may be: photos are images; a scanned ID or a signed contract is an image or a PDF; drawings,
 * budgets and requisitions also come as the spreadsheets and Word files the designers keep them in.
 */
export const ALLOWED_TYPES: Record<CaseDocumentKind, readonly DocumentContentType[]> = {
  photo: IMAGES,
  id_scan: [PDF, ...IMAGES],
  contract: [PDF, ...IMAGES],
  drawing: [PDF, ...IMAGES, DOCX],
  budget: [PDF, XLSX, ...IMAGES],
  requisition: [PDF, XLSX, ...IMAGES],
  other: [PDF, ...IMAGES, XLSX, DOCX],
};

/** The upload limit when the host sets none: the engine's document store default (DOCUMENT_MAX_SIZE_MB = 10). */
export const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** A refusal of the file itself, with a code the screens can word in their language. */
export const fileRefused = (code: 'file_empty' | 'file_too_large' | 'file_type' | 'file_infected', message: string) =>
  new CasesError(422, code, `file: ${message}`, 'file');

export interface FileUpload {
  fileName: string;
  bytes: Uint8Array;
}

/** Checks one file for a kind by its size and its content; a refusal is a 422 naming `file` with its code. */
export function checkFile(kind: CaseDocumentKind, file: FileUpload, maxBytes: number): DocumentContentType {
  if (file.bytes.length === 0) throw fileRefused('file_empty', 'the file is empty');
  if (file.bytes.length > maxBytes)
    throw fileRefused(
      'file_too_large',
      `the file is larger than ${+(maxBytes / 1024 / 1024).toFixed(1)} MB (${file.bytes.length} bytes)`,
    );
  const allowed = ALLOWED_TYPES[kind];
  const type = sniffContentType(file.bytes);
  if (!type || !allowed.includes(type))
    throw fileRefused(
      'file_type',
      `${type ? `a ${TYPE_NAMES[type]} file` : 'the content is of no accepted type'}; a ${kind} must be ${allowed
        .map((t) => TYPE_NAMES[t])
        .join(', ')}`,
    );
  return type;
}
