import type { SessionSummary } from '@atelier/contracts';
import { describeDevice } from '../identity/device.js';
import type { SessionRow } from './session-repository.js';

export const toSessionDto = (r: SessionRow, currentId: string | undefined): SessionSummary => ({
  id: r.id,
  device: describeDevice(r.userAgent),
  userAgent: r.userAgent,
  createdAt: r.createdAt.toISOString(),
  lastSeenAt: r.lastSeenAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
  current: r.id === currentId,
});
