import { MAX_LOGO_BYTES } from '@atelier/contracts';
import { DomainError } from '@atelier/platform';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** The image type read from the bytes themselves: whatever the upload claims, only real PNG or JPEG data is kept. */
export function logoType(bytes: Buffer): 'image/png' | 'image/jpeg' {
  if (bytes.length === 0) throw new DomainError('invalid', 'agency.logo_missing', 'Send the logo image as the request body', { errors: [{ path: '(body)', message: 'is empty' }] });
  if (bytes.length > MAX_LOGO_BYTES) throw new DomainError('too_large', 'agency.logo_too_large', 'The logo must be at most 1 MB');
  if (bytes.subarray(0, PNG.length).equals(PNG) && bytes.length > 24) return 'image/png';
  if (bytes.subarray(0, JPEG.length).equals(JPEG) && bytes.length > 4) return 'image/jpeg';
  throw new DomainError('unsupported', 'agency.logo_type', 'The logo must be a PNG or JPEG image');
}
