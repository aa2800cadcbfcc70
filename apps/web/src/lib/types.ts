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

/** Roles that may create, edit and delete clients. */
export const canManageClients = (role: Role): boolean => role !== 'member';
