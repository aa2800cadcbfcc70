import type { Member } from '@atelier/contracts';
import type { MemberRow } from './member-repository.js';

export const toMemberDto = (r: MemberRow): Member => ({ userId: r.userId, name: r.name, email: r.email, role: r.role });
