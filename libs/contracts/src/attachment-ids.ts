/**
 * Attachment ids say which service owns the attachment, so the gateway can route
 * `/api/attachments/:id…` without a lookup: they are RFC 9562 UUIDv8 ("custom") whose 13th hex
 * digit is 8 (the version) and whose 14th names the owner. The other 118 bits are random, as many
 * as a UUIDv4 less four, so ids stay unguessable. The code is browser-safe (Web Crypto only).
 */
export const ATTACHMENT_OWNERS = { crm: '1', projects: '2' } as const;
export type AttachmentOwner = keyof typeof ATTACHMENT_OWNERS;

const OWNER_BY_DIGIT = new Map<string, AttachmentOwner>(Object.entries(ATTACHMENT_OWNERS).map(([owner, digit]) => [digit, owner as AttachmentOwner]));
const ATTACHMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-8([0-9a-f])[0-9a-f]{2}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A new attachment id owned by `owner`. */
export function newAttachmentId(owner: AttachmentOwner): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = 0x80 | Number.parseInt(ATTACHMENT_OWNERS[owner], 16);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The service that owns an attachment id; null for anything that is not an attachment id. */
export function attachmentOwner(id: string): AttachmentOwner | null {
  const m = ATTACHMENT_ID.exec(id);
  return m ? (OWNER_BY_DIGIT.get((m[1] as string).toLowerCase()) ?? null) : null;
}
