import { z } from 'zod';
import { Role, Timestamp, Uuid } from '../common.js';

const Email = z.email().max(254).transform((e) => e.toLowerCase());
const Password = z.string().min(10, 'must be at least 10 characters').max(200);
const PersonName = z.string().trim().min(1, 'is required').max(200);

export const SignupBody = z
  .object({ agencyName: z.string().trim().min(1, 'is required').max(200), name: PersonName, email: Email, password: Password })
  .strict()
  .meta({ id: 'SignupBody' });
export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(200) }).strict().meta({ id: 'LoginBody' });

export const User = z.object({ id: Uuid, name: z.string(), email: z.string() }).meta({ id: 'User' });
export const Agency = z.object({ id: Uuid, name: z.string() }).meta({ id: 'Agency' });
export const SessionInfo = z.object({ user: User, agency: Agency, role: Role }).meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const CreateInvitationBody = z.object({ email: Email, role: Role }).strict().meta({ id: 'CreateInvitationBody' });
export const Invitation = z
  .object({ id: Uuid, token: z.string(), email: z.string(), role: Role, expiresAt: Timestamp })
  .meta({ id: 'Invitation' });
export const AcceptInvitationBody = z.object({ name: PersonName, password: Password }).strict().meta({ id: 'AcceptInvitationBody' });

export const Member = z.object({ userId: Uuid, name: z.string(), email: z.string(), role: Role }).meta({ id: 'Member' });
export const UpdateMemberBody = z.object({ role: Role }).strict().meta({ id: 'UpdateMemberBody' });

export const CreateTokenBody = z.object({ name: z.string().trim().min(1, 'is required').max(100) }).strict().meta({ id: 'CreateTokenBody' });
export const CreatedToken = z.object({ id: Uuid, name: z.string(), token: z.string() }).meta({ id: 'CreatedToken' });
