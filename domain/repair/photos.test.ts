import { RepairError } from './errors.js';
import { checkPhoto, photoType } from './photos.js';

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const webp = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50]);

describe('photos', () => {
  test('the type comes from the magic bytes', () => {
    expect(photoType(png)).toBe('image/png');
    expect(photoType(jpeg)).toBe('image/jpeg');
    expect(photoType(webp)).toBe('image/webp');
    expect(photoType(new TextEncoder().encode('%PDF-1.7 pretending to be a photo'))).toBeNull();
    expect(photoType(new Uint8Array())).toBeNull();
  });

  test('a wrong type or an oversized file is a 422 naming the photo', () => {
    const pdf = { fileName: 'leak.jpg', bytes: new TextEncoder().encode('%PDF-1.7') };
    expect(() => checkPhoto(pdf, 1000)).toThrow(RepairError);
    expect(() => checkPhoto(pdf, 1000)).toThrow(/photos\[leak\.jpg\]: not a JPEG, PNG or WebP/);
    const big = { fileName: 'big.png', bytes: new Uint8Array(2000).fill(1) };
    big.bytes.set(png);
    try {
      checkPhoto(big, 1000);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toMatchObject({ status: 422, field: 'photos[big.png]' });
    }
    expect(checkPhoto({ fileName: 'ok.webp', bytes: webp }, 1000)).toBe('image/webp');
  });
});
