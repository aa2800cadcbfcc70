import { z } from 'zod';
import { canonicalTimeZone, isTimeZone } from '@atelier/time';
import { CountryCode, CurrencyCode, Role, Timestamp, Uuid } from '../common.js';

const Email = z.email().max(254).transform((e) => e.toLowerCase());
const Password = z.string().min(10, 'must be at least 10 characters').max(200);
const PersonName = z.string().trim().min(1, 'is required').max(200);

export const SignupBody = z
  .object({ agencyName: z.string().trim().min(1, 'is required').max(200), name: PersonName, email: Email, password: Password })
  .strict()
  .meta({ id: 'SignupBody' });
export type SignupBody = z.infer<typeof SignupBody>;
export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(200) }).strict().meta({ id: 'LoginBody' });
export type LoginBody = z.infer<typeof LoginBody>;

export const User = z.object({ id: Uuid, name: z.string(), email: z.string() }).meta({ id: 'User' });
export const Agency = z.object({ id: Uuid, name: z.string() }).meta({ id: 'Agency' });
export type User = z.infer<typeof User>;
export type Agency = z.infer<typeof Agency>;
export const SessionInfo = z.object({ user: User, agency: Agency, role: Role }).meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfo>;
export const UpdateProfileBody = z.object({ name: PersonName }).strict().meta({ id: 'UpdateProfileBody' });
export type UpdateProfileBody = z.infer<typeof UpdateProfileBody>;

export const CreateInvitationBody = z.object({ email: Email, role: Role }).strict().meta({ id: 'CreateInvitationBody' });
export type CreateInvitationBody = z.infer<typeof CreateInvitationBody>;
export const Invitation = z
  .object({ id: Uuid, token: z.string(), email: z.string(), role: Role, expiresAt: Timestamp })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof Invitation>;
export const PendingInvitation = z
  .object({ id: Uuid, email: z.string(), role: Role, invitedBy: z.string(), createdAt: Timestamp, expiresAt: Timestamp })
  .meta({ id: 'PendingInvitation' });
export type PendingInvitation = z.infer<typeof PendingInvitation>;
/** What the accept page shows before anyone signs in; it says nothing about whether the email has an account. */
export const InvitationPreview = z
  .object({ email: z.string(), role: Role, agency: Agency, expiresAt: Timestamp })
  .meta({ id: 'InvitationPreview' });
export type InvitationPreview = z.infer<typeof InvitationPreview>;
/**
 * `{ name, password }` creates the invited account; `{ password }` signs in as the invited email
 * through the throttled login check; `{}` accepts for the account the caller is signed in as.
 */
export const AcceptInvitationBody = z
  .object({ name: PersonName.optional(), password: Password.optional() })
  .strict()
  .meta({ id: 'AcceptInvitationBody' });
export type AcceptInvitationBody = z.infer<typeof AcceptInvitationBody>;

export const Member = z.object({ userId: Uuid, name: z.string(), email: z.string(), role: Role }).meta({ id: 'Member' });
export type Member = z.infer<typeof Member>;
export const UpdateMemberBody = z.object({ role: Role }).strict().meta({ id: 'UpdateMemberBody' });

export const CreateTokenBody = z
  .object({ name: z.string().trim().min(1, 'is required').max(100), expiresInDays: z.number().int().min(1).max(3650).optional() })
  .strict()
  .meta({ id: 'CreateTokenBody' });
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;
export const CreatedToken = z
  .object({ id: Uuid, name: z.string(), token: z.string(), expiresAt: Timestamp.nullable() })
  .meta({ id: 'CreatedToken' });
export type CreatedToken = z.infer<typeof CreatedToken>;
export const ApiToken = z
  .object({ id: Uuid, name: z.string(), createdAt: Timestamp, lastUsedAt: Timestamp.nullable(), expiresAt: Timestamp.nullable() })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;

/** `device` is a readable summary of the User-Agent ("Firefox on macOS"); `current` marks the caller's own session. */
export const SessionSummary = z
  .object({ id: Uuid, device: z.string(), userAgent: z.string().nullable(), createdAt: Timestamp, lastSeenAt: Timestamp, expiresAt: Timestamp, current: z.boolean() })
  .meta({ id: 'SessionSummary' });
export type SessionSummary = z.infer<typeof SessionSummary>;

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1, 'is required').max(200), newPassword: Password })
  .strict()
  .meta({ id: 'ChangePasswordBody' });
export const PasswordResetRequestBody = z.object({ email: Email }).strict().meta({ id: 'PasswordResetRequestBody' });
export const PasswordResetBody = z.object({ password: Password }).strict().meta({ id: 'PasswordResetBody' });

/** An IANA zone name (`Europe/Berlin`, `UTC`) that the time zone database knows, stored in its canonical spelling. */
export const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')
  .transform(canonicalTimeZone)
  .meta({ example: 'Europe/Berlin' });

const optionalField = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

/** `logo` is a `data:` URL of the PNG or JPEG uploaded with `PUT /api/agency/logo`, or null. */
export const AgencyProfile = z
  .object({
    id: Uuid,
    name: z.string(),
    timezone: z.string(),
    currency: CurrencyCode,
    email: z.string().nullable(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    address: z.string().nullable(),
    taxId: z.string().nullable(),
    /**
     * ISO 3166-1 alpha-2; decides the invoice paper (Letter in the US and Canada, else A4). Optional
     * only so that agency events published before it existed still parse; the API always sends it.
     */
    country: CountryCode.nullable().optional(),
    logo: z.string().nullable(),
  })
  .meta({ id: 'AgencyProfile' });
export type AgencyProfile = z.infer<typeof AgencyProfile>;

export const UpdateAgencyBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200).optional(),
    timezone: TimeZone.optional(),
    currency: CurrencyCode.optional(),
    email: z
      .union([z.email().max(254), z.literal('')])
      .transform((v) => (v === '' ? null : v.toLowerCase()))
      .nullable()
      .optional(),
    phone: optionalField(50),
    website: z
      .union([z.url({ protocol: /^https?$/ }).max(300), z.literal('')])
      .transform((v) => (v === '' ? null : v))
      .nullable()
      .optional(),
    address: optionalField(1000),
    taxId: optionalField(50),
    country: z
      .union([z.string().trim().toUpperCase().pipe(CountryCode), z.literal('')])
      .transform((v) => (v === '' ? null : v))
      .nullable()
      .optional(),
  })
  .strict()
  .meta({ id: 'UpdateAgencyBody' });
export type UpdateAgencyBody = z.infer<typeof UpdateAgencyBody>;

/** Largest logo accepted by `PUT /api/agency/logo`. */
export const MAX_LOGO_BYTES = 1024 * 1024;
