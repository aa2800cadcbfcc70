import { writeEvent, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { toMemberDto } from './member-mapper.js';
import type { MemberRow } from './member-repository.js';

/** `identity.member.*` events, written in the transaction of the change; projects and billing keep member replicas from them. */
export const memberEvents = {
  joined: (tx: Tx, agencyId: string, actorId: string | null, m: MemberRow) =>
    writeEvent(tx, outbox, { name: 'identity.member.joined.v1', agencyId, actorId, payload: { member: toMemberDto(m), version: Number(m.version) } }),
  updated: (tx: Tx, agencyId: string, actorId: string | null, m: MemberRow) =>
    writeEvent(tx, outbox, { name: 'identity.member.updated.v1', agencyId, actorId, payload: { member: toMemberDto(m), version: Number(m.version) } }),
  removed: (tx: Tx, agencyId: string, actorId: string | null, m: MemberRow, version: number) =>
    writeEvent(tx, outbox, {
      name: 'identity.member.removed.v1',
      agencyId,
      actorId,
      payload: { userId: m.userId, name: m.name, version, removedAt: new Date().toISOString() },
    }),
};
