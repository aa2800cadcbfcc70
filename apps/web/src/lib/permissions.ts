import type { Role } from '@atelier/contracts';

/** Roles that may create, edit and delete clients and contacts (and import or export them). */
export const canManageClients = (role: Role): boolean => role !== 'member';

/** Roles that may edit or delete anyone's notes (authors may always edit their own). */
export const canManageAnyNote = (role: Role): boolean => role !== 'member';

/** Roles that may create, edit and delete projects (members read them, log time and work tasks). */
export const canManageProjects = (role: Role): boolean => role !== 'member';

/** Who may edit a task: its assignee, or a manager and above. */
export const canEditTask = (role: Role, userId: string, task: { assigneeId: string | null }): boolean =>
  canManageProjects(role) || task.assigneeId === userId;

/** Who may delete a task: its creator, or a manager and above. */
export const canDeleteTask = (role: Role, userId: string, task: { createdBy: string | null }): boolean =>
  canManageProjects(role) || task.createdBy === userId;

/** Roles that may see and log anyone's time (a member sees and logs their own). */
export const canManageTime = (role: Role): boolean => role !== 'member';

/** Roles that may change the agency's settings (time rules, rate cards). */
export const canEditAgencySettings = (role: Role): boolean => role === 'owner' || role === 'admin';

/** Roles that may create, edit, send and void invoices (members neither bill nor see the agency's invoices' actions). */
export const canManageInvoices = (role: Role): boolean => role !== 'member';
