import { invalid } from './errors.js';

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/**
 * The image type by its first bytes, whatever the file name or the browser claims: JPEG (FF D8 FF),
 * PNG (89 50 4E 47 0D 0A 1A 0A), WebP (RIFF....WEBP). Anything else is null.
 */
export function photoType(bytes: Uint8Array): PhotoType | null {
  const at = (i: number, ...values: number[]) => values.every((v, k) => bytes[i + k] === v);
  if (bytes.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (bytes.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (bytes.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}

export interface PhotoUpload {
  fileName: string;
  bytes: Uint8Array;
}

/** Checks one photo; a refusal is a 422 naming the photo (`photos[<file name>]`). */
export function checkPhoto(photo: PhotoUpload, maxBytes: number): PhotoType {
  const field = `photos[${photo.fileName}]`;
  if (photo.bytes.length === 0) throw invalid(field, 'the file is empty');
  if (photo.bytes.length > maxBytes)
    throw invalid(
      field,
      `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB (${photo.bytes.length} bytes)`,
    );
  const type = photoType(photo.bytes);
  if (!type) throw invalid(field, 'not a JPEG, PNG or WebP image');
  return type;
}
