import type { AgencyProfile, UpdateAgencyBody } from '@atelier/contracts';
import type { AgencyChanges, AgencyRow } from './agency-repository.js';

export const logoDataUrl = (r: Pick<AgencyRow, 'logo' | 'logoType'>) => (r.logo && r.logoType ? `data:${r.logoType};base64,${r.logo.toString('base64')}` : null);

export const toAgencyDto = (r: AgencyRow): AgencyProfile => ({
  id: r.id,
  name: r.name,
  timezone: r.timezone,
  currency: r.currency,
  email: r.email,
  phone: r.phone,
  website: r.website,
  address: r.address,
  taxId: r.taxId,
  country: r.country,
  logo: logoDataUrl(r),
});

/** Only the fields the body names change; `null` clears an optional one. */
export function toAgencyChanges(body: UpdateAgencyBody): AgencyChanges {
  const changes: AgencyChanges = {};
  for (const key of ['name', 'timezone', 'currency', 'email', 'phone', 'website', 'address', 'taxId', 'country'] as const) {
    const value = body[key];
    if (value !== undefined) (changes as Record<string, unknown>)[key] = value;
  }
  return changes;
}
