import type { UpdateAgencyBody } from '@atelier/contracts';
import { forbiddenError, notFoundError, tenantTx, type Principal, type Tx } from '@atelier/platform';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { agencyUpdated } from './agency-events.js';
import { toAgencyChanges, toAgencyDto } from './agency-mapper.js';
import { findAgency, updateAgency, type AgencyChanges } from './agency-repository.js';
import { logoType } from './logo-image.js';

function requireManager(who: Principal) {
  if (who.role !== 'owner' && who.role !== 'admin') throw forbiddenError('agency.forbidden', 'Only an owner or admin changes the agency');
}

export async function getAgency(deps: IdentityDeps, who: Principal) {
  const row = await tenantTx(deps.db, who.agencyId, (tx) => findAgency(tx, who.agencyId));
  if (!row) throw notFoundError('agency.not_found', 'Agency not found');
  return toAgencyDto(row);
}

async function change(tx: Tx, who: Principal, changes: AgencyChanges) {
  const row = Object.keys(changes).length ? await updateAgency(tx, who.agencyId, changes) : await findAgency(tx, who.agencyId);
  if (!row) throw notFoundError('agency.not_found', 'Agency not found');
  if (Object.keys(changes).length) await agencyUpdated(tx, who.userId, row);
  return row;
}

export async function updateAgencyProfile(deps: IdentityDeps, who: Principal, body: UpdateAgencyBody) {
  requireManager(who);
  const row = await tenantTx(deps.db, who.agencyId, (tx) => change(tx, who, toAgencyChanges(body)));
  // The session cache holds the agency name; refresh it for this agency's callers.
  if (body.name !== undefined) deps.auth.evict({ agencyId: who.agencyId });
  return toAgencyDto(row);
}

export async function setAgencyLogo(deps: IdentityDeps, who: Principal, bytes: Buffer) {
  requireManager(who);
  const type = logoType(bytes);
  const row = await tenantTx(deps.db, who.agencyId, (tx) => change(tx, who, { logo: bytes, logoType: type }));
  return toAgencyDto(row);
}

export async function removeAgencyLogo(deps: IdentityDeps, who: Principal) {
  requireManager(who);
  await tenantTx(deps.db, who.agencyId, (tx) => change(tx, who, { logo: null, logoType: null }));
}
