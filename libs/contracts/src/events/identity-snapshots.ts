import type { AgencyProfile, Member } from '../http/identity.js';
import { AgencySnapshotPayload, MemberRemovedPayload, MemberSnapshotPayload } from './identity.js';
import type { EntitySnapshot, SnapshotExtractors } from './snapshots.js';

/**
 * The snapshots of the gateway's member events, for member replicas. A person may be a member
 * of several agencies, and a replica row has one id: `rowId` makes it from agency and user (the
 * kit's `memberRowId`).
 */
export const identityMemberSnapshots = (rowId: (agencyId: string, userId: string) => string): SnapshotExtractors<Member, MemberRemovedPayload> => {
  const live = (agencyId: string, p: MemberSnapshotPayload): EntitySnapshot<Member, MemberRemovedPayload> => ({
    id: rowId(agencyId, p.member.userId),
    version: p.version,
    deleted: false,
    data: p.member,
  });
  return {
    'identity.member.joined.v1': (e) => [live(e.agencyId, MemberSnapshotPayload.parse(e.payload))],
    'identity.member.updated.v1': (e) => [live(e.agencyId, MemberSnapshotPayload.parse(e.payload))],
    'identity.member.removed.v1': (e) => {
      const p = MemberRemovedPayload.parse(e.payload);
      return [{ id: rowId(e.agencyId, p.userId), version: p.version, deleted: true, data: p }];
    },
  };
};

/** The snapshot of the gateway's agency event, for agency replicas (keyed by the agency id). */
export const identityAgencySnapshots: SnapshotExtractors<AgencyProfile> = {
  'identity.agency.updated.v1': (e) => {
    const p = AgencySnapshotPayload.parse(e.payload);
    return [{ id: p.agency.id, version: p.version, deleted: false, data: p.agency }];
  },
};
