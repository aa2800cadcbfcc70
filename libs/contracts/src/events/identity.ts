import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { AgencyProfile, Member } from '../http/identity.js';

/** The agency as it is after the change (logo included as a data URL), with a version that grows with every change. */
export const AgencySnapshotPayload = z.object({ agency: AgencyProfile, version: z.number().int().positive() });
export type AgencySnapshotPayload = z.infer<typeof AgencySnapshotPayload>;

/**
 * Member versions come from one sequence, so they keep growing across a removal and a re-join:
 * a replica that saw the removal still applies the later join.
 */
export const MemberSnapshotPayload = z.object({ member: Member, version: z.number().int().positive() });
export type MemberSnapshotPayload = z.infer<typeof MemberSnapshotPayload>;
export const MemberRemovedPayload = z.object({ userId: Uuid, name: z.string(), version: z.number().int().positive(), removedAt: Timestamp });
export type MemberRemovedPayload = z.infer<typeof MemberRemovedPayload>;

export const identityEvents = {
  'identity.agency.updated.v1': AgencySnapshotPayload,
  'identity.member.joined.v1': MemberSnapshotPayload,
  'identity.member.updated.v1': MemberSnapshotPayload,
  'identity.member.removed.v1': MemberRemovedPayload,
} as const;
