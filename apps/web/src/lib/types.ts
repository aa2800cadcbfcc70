/** Shapes of the public HTTP API (see /work/shared/api-contract.md). */

export type Role = 'owner' | 'admin' | 'manager' | 'member';

export interface User {
  id: string;
  name: string;
  email: string;
}

export interface Agency {
  id: string;
  name: string;
}

export interface SessionInfo {
  user: User;
  agency: Agency;
  role: Role;
}

export interface Address {
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface Client {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  website: string | null;
  address: Address | null;
  currency: string;
  taxId: string | null;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ClientInput {
  name: string;
  email: string | null;
  phone: string | null;
  website: string | null;
  address: Address;
  currency?: string;
  taxId: string | null;
  isActive?: boolean;
}

export interface TimelineEntry {
  id: string;
  clientId: string;
  type: string;
  title: string;
  occurredAt: string;
  actorId: string | null;
  entity: { kind: string; id: string };
}

export interface ListResponse<T> {
  data: T[];
  nextCursor: string | null;
  total: number;
}

export type ClientSort = 'name' | 'createdAt' | 'updatedAt' | 'email';
export type SortOrder = 'asc' | 'desc';

/** The choices of an "Order" select in a list's toolbar. */
export const SORT_ORDER_OPTIONS: readonly { value: SortOrder; label: string }[] = [
  { value: 'asc', label: 'Ascending' },
  { value: 'desc', label: 'Descending' },
];

/** Roles that may create, edit and delete clients. */
export const canManageClients = (role: Role): boolean => role !== 'member';

/** Roles that may edit or delete anyone's notes (authors may always edit their own). */
export const canManageAnyNote = (role: Role): boolean => role !== 'member';

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

export interface Contact {
  id: string;
  clientId: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
  /** As typed. */
  phone: string | null;
  /** E.164 form of `phone` when it could be parsed. */
  phoneE164: string | null;
  title: string | null;
  isPrimary: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ContactInput {
  firstName?: string;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
  isPrimary?: boolean;
  /** Moves the contact to another client (PATCH only). */
  clientId?: string;
}

export type ContactSort = 'lastName' | 'firstName' | 'email' | 'createdAt';

export interface Note {
  id: string;
  clientId: string;
  body: string;
  isPinned: boolean;
  authorId: string;
  createdAt: string;
  updatedAt: string;
}

export type ImportEntity = 'clients' | 'contacts';
export type ImportStatus = 'uploaded' | 'queued' | 'running' | 'completed' | 'failed';

export interface ImportPreviewRow {
  /** 1-based data row number (the header is row 0). */
  row: number;
  values: Record<string, string>;
  errors: string[];
}

export interface ImportCreated {
  id: string;
  entity: ImportEntity;
  status: ImportStatus;
  delimiter: string;
  columns: string[];
  /** CSV column → field, suggested from the header names. */
  suggestedMapping: Record<string, string>;
  /** The first rows, checked with the suggested mapping. */
  preview: ImportPreviewRow[];
}

export interface ImportJob {
  id: string;
  entity: ImportEntity;
  status: ImportStatus;
  total: number;
  processed: number;
  created: number;
  updated: number;
  failed: number;
  errors: { row: number; message: string }[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}
