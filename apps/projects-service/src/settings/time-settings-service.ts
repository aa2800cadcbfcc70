import type { TimeSettings, UpdateTimeSettingsBody } from '@atelier/contracts';
import { forbiddenError, tenantTx, type Db, type Principal, type Tx } from '@atelier/platform';
import { AGENCY_FALLBACK } from '../agency/agency-repository.js';
import { toTimeSettings } from './time-settings-mapper.js';
import { selectAgencyTime, selectTimeSettings, upsertTimeSettings } from './time-settings-repository.js';

/** What every time use case needs about the agency: its rules and where its days start. */
export interface AgencyTime {
  settings: TimeSettings;
  timezone: string;
  /** The agency's default currency, when the replica knows it. */
  currency: string | null;
}

export async function agencyTime(tx: Tx, agencyId: string): Promise<AgencyTime> {
  const row = await selectAgencyTime(tx, agencyId);
  return { settings: toTimeSettings(row.settings), timezone: row.timezone ?? AGENCY_FALLBACK.timezone, currency: row.currency };
}

/** Everyone may read the rules their time is rounded by; only owners and admins change them. */
export function getTimeSettings(db: Db, who: Principal): Promise<TimeSettings> {
  return tenantTx(db, who.agencyId, async (tx) => toTimeSettings(await selectTimeSettings(tx)));
}

/** A new rule applies to entries logged or edited from now on: existing entries keep their rounded minutes. */
export function updateTimeSettings(db: Db, who: Principal, body: UpdateTimeSettingsBody): Promise<TimeSettings> {
  if (who.role !== 'owner' && who.role !== 'admin') throw forbiddenError('settings.forbidden', 'Only owners and admins change the time settings');
  return tenantTx(db, who.agencyId, async (tx) => {
    const current = toTimeSettings(await selectTimeSettings(tx));
    const next = { ...current, ...body, rounding: body.rounding ?? current.rounding };
    const row = await upsertTimeSettings(tx, {
      agencyId: who.agencyId,
      roundingMode: next.rounding.mode,
      roundingMinutes: next.rounding.minutes,
      weekStartsOn: next.weekStartsOn,
      defaultBillable: next.defaultBillable,
    });
    return toTimeSettings(row);
  });
}
