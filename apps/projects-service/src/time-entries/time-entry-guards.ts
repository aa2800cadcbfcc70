import { EDITORS, forbiddenError, type Principal } from '@atelier/platform';

/** Managers and above act on anyone's time; everyone else on their own. */
export const isManager = (who: Principal): boolean => EDITORS.includes(who.role);

export function requireActFor(who: Principal, userId: string): void {
  if (userId !== who.userId && !isManager(who)) throw forbiddenError('time_entry.forbidden', "Members log, see and change only their own time");
}
