import type { InvitationPreview, PendingInvitation } from '@atelier/contracts';
import type { InvitationByToken, InvitationRow, PendingInvitationRow } from './invitation-repository.js';

export const toPendingInvitationDto = (r: PendingInvitationRow): PendingInvitation => ({
  id: r.id,
  email: r.email,
  role: r.role,
  invitedBy: r.invitedByName,
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
});

/** The creation response: the secret is returned once, besides being emailed. */
export const toCreatedInvitationDto = (r: InvitationRow, token: string) => ({ id: r.id, token, email: r.email, role: r.role, expiresAt: r.expiresAt.toISOString() });

export const toInvitationPreviewDto = (r: InvitationByToken): InvitationPreview => ({
  email: r.email,
  role: r.role,
  agency: { id: r.agency_id, name: r.agency_name },
  expiresAt: new Date(r.expires_at).toISOString(),
});
