import { z } from 'zod';
import { CountryCode, CurrencyCode, KnownCurrencyCode, Timestamp, Uuid, listQuery, listResponse, optionalText, queryBoolean } from '../common.js';
import { optionalPhone } from '../phone.js';

export const Address = z
  .object({
    line1: z.string().nullable(),
    line2: z.string().nullable(),
    city: z.string().nullable(),
    region: z.string().nullable(),
    postalCode: z.string().nullable(),
    country: z.string().nullable(),
  })
  .meta({ id: 'Address' });

export const Client = z
  .object({
    id: Uuid,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    address: Address,
    currency: CurrencyCode,
    taxId: z.string().nullable(),
    isActive: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Client' });
export type Client = z.infer<typeof Client>;

export const AddressInput = z
  .object({
    line1: optionalText(200),
    line2: optionalText(200),
    city: optionalText(100),
    region: optionalText(100),
    postalCode: optionalText(20),
    country: CountryCode.nullable().optional(),
  })
  .strict();

const clientFields = {
  name: z.string().trim().min(1, 'is required').max(200),
  email: z.email().max(254).nullable().optional(),
  phone: optionalPhone,
  website: z.url({ protocol: /^https?$/ }).max(500).nullable().optional(),
  address: AddressInput.nullable().optional(),
  currency: KnownCurrencyCode.optional(),
  taxId: optionalText(50),
  isActive: z.boolean().optional(),
};

export const CreateClientBody = z.object(clientFields).strict().meta({ id: 'CreateClientBody' });
export type CreateClientBody = z.infer<typeof CreateClientBody>;

export const UpdateClientBody = z
  .object({ ...clientFields, name: clientFields.name.optional() })
  .strict()
  .meta({ id: 'UpdateClientBody' });
export type UpdateClientBody = z.infer<typeof UpdateClientBody>;

export const ClientSortField = ['name', 'createdAt', 'updatedAt', 'email'] as const;
export const ClientListQuery = listQuery(ClientSortField).extend({ isActive: queryBoolean.optional() });
export type ClientListQuery = z.infer<typeof ClientListQuery>;
export const ClientList = listResponse(Client);
export type Address = z.infer<typeof Address>;
export type ClientSortField = (typeof ClientSortField)[number];
