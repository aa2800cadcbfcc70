import { z } from 'zod';
import { Uuid } from '../common.js';
import { ClientList, Client, ClientListQuery, CreateClientBody, UpdateClientBody } from '../http/clients.js';
import {
  AcceptInvitationBody,
  CreateInvitationBody,
  CreatedToken,
  CreateTokenBody,
  Invitation,
  LoginBody,
  Member,
  SessionInfo,
  SignupBody,
  UpdateMemberBody,
} from '../http/identity.js';
import { TimelineList, TimelineQuery } from '../http/timeline.js';
import { BulkDeleteContactsBody, Contact, ContactList, ContactListQuery, CreateContactBody, UpdateContactBody } from '../http/contacts.js';
import { CreateNoteBody, Note, NoteList, NoteListQuery, UpdateNoteBody } from '../http/notes.js';
import { CommitImportBody, ExportQuery, ImportCreated, ImportJob } from '../http/imports.js';
import { listResponse } from '../common.js';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteSpec {
  method: HttpMethod;
  /** Express-style path (`/api/clients/:id`). */
  path: string;
  summary: string;
  tag: string;
  /** `public`: no session needed. */
  auth?: 'public' | 'session';
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Status and schema of the success response; `null` schema means no body. */
  response: { status: number; schema: z.ZodType | null; contentType?: string };
}

const idParam = z.object({ id: Uuid });
export const pathParams = { id: idParam };

/** Every route the gateway serves. OpenAPI is generated from this list, and a test checks it against the running apps. */
export const routes: RouteSpec[] = [
  { method: 'get', path: '/api/openapi.json', summary: 'This OpenAPI document', tag: 'Meta', auth: 'public', response: { status: 200, schema: z.record(z.string(), z.unknown()) } },
  { method: 'post', path: '/api/auth/signup', summary: 'Create an agency and its owner; signs in', tag: 'Identity', auth: 'public', body: SignupBody, response: { status: 201, schema: SessionInfo } },
  { method: 'post', path: '/api/auth/login', summary: 'Sign in', tag: 'Identity', auth: 'public', body: LoginBody, response: { status: 200, schema: SessionInfo } },
  { method: 'post', path: '/api/auth/logout', summary: 'Sign out', tag: 'Identity', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/auth/me', summary: 'The signed-in user, agency and role', tag: 'Identity', response: { status: 200, schema: SessionInfo } },
  { method: 'post', path: '/api/auth/invitations', summary: 'Invite someone to the agency (owner/admin)', tag: 'Identity', body: CreateInvitationBody, response: { status: 201, schema: Invitation } },
  { method: 'post', path: '/api/auth/invitations/:token/accept', summary: 'Accept an invitation; signs in as the new member', tag: 'Identity', auth: 'public', body: AcceptInvitationBody, response: { status: 201, schema: SessionInfo } },
  { method: 'get', path: '/api/auth/members', summary: 'Members of the agency', tag: 'Identity', response: { status: 200, schema: listResponse(Member) } },
  { method: 'patch', path: '/api/auth/members/:userId', summary: "Change a member's role (owner/admin)", tag: 'Identity', body: UpdateMemberBody, response: { status: 200, schema: Member } },
  { method: 'post', path: '/api/auth/tokens', summary: 'Create a personal API token (shown once)', tag: 'Identity', body: CreateTokenBody, response: { status: 201, schema: CreatedToken } },

  { method: 'get', path: '/api/clients', summary: 'List clients', tag: 'CRM', query: ClientListQuery, response: { status: 200, schema: ClientList } },
  { method: 'post', path: '/api/clients', summary: 'Create a client (owner/admin/manager)', tag: 'CRM', body: CreateClientBody, response: { status: 201, schema: Client } },
  { method: 'get', path: '/api/clients/:id', summary: 'Get a client', tag: 'CRM', response: { status: 200, schema: Client } },
  { method: 'patch', path: '/api/clients/:id', summary: 'Update a client (owner/admin/manager)', tag: 'CRM', body: UpdateClientBody, response: { status: 200, schema: Client } },
  { method: 'delete', path: '/api/clients/:id', summary: 'Soft-delete a client (owner/admin/manager)', tag: 'CRM', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/clients/:id/contacts', summary: "A client's contacts", tag: 'CRM', query: ContactListQuery, response: { status: 200, schema: ContactList } },
  { method: 'post', path: '/api/clients/:id/contacts', summary: 'Add a contact to a client (owner/admin/manager); isPrimary demotes the old primary', tag: 'CRM', body: CreateContactBody, response: { status: 201, schema: Contact } },
  { method: 'get', path: '/api/contacts', summary: 'List contacts (?clientId=)', tag: 'CRM', query: ContactListQuery, response: { status: 200, schema: ContactList } },
  { method: 'post', path: '/api/contacts/bulk-delete', summary: 'Soft-delete several contacts (owner/admin/manager)', tag: 'CRM', body: BulkDeleteContactsBody, response: { status: 200, schema: z.object({ deleted: z.number().int() }) } },
  { method: 'get', path: '/api/contacts/:id', summary: 'Get a contact', tag: 'CRM', response: { status: 200, schema: Contact } },
  { method: 'patch', path: '/api/contacts/:id', summary: 'Update a contact (owner/admin/manager)', tag: 'CRM', body: UpdateContactBody, response: { status: 200, schema: Contact } },
  { method: 'delete', path: '/api/contacts/:id', summary: 'Soft-delete a contact (owner/admin/manager)', tag: 'CRM', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/clients/:id/notes', summary: "A client's notes, pinned first, then newest", tag: 'CRM', query: NoteListQuery, response: { status: 200, schema: NoteList } },
  { method: 'post', path: '/api/clients/:id/notes', summary: 'Add a note to a client', tag: 'CRM', body: CreateNoteBody, response: { status: 201, schema: Note } },
  { method: 'patch', path: '/api/notes/:id', summary: 'Edit or pin a note (its author, or a manager and above)', tag: 'CRM', body: UpdateNoteBody, response: { status: 200, schema: Note } },
  { method: 'delete', path: '/api/notes/:id', summary: 'Delete a note (its author, or a manager and above)', tag: 'CRM', response: { status: 204, schema: null } },
  { method: 'post', path: '/api/imports', summary: 'Upload a CSV (multipart `file` + `entity`, up to 50 MB): columns, suggested mapping, preview', tag: 'CRM', response: { status: 201, schema: ImportCreated } },
  { method: 'post', path: '/api/imports/:id/commit', summary: 'Start importing with a column → field mapping', tag: 'CRM', body: CommitImportBody, response: { status: 202, schema: ImportJob } },
  { method: 'get', path: '/api/imports/:id', summary: 'Import progress and row errors', tag: 'CRM', response: { status: 200, schema: ImportJob } },
  { method: 'get', path: '/api/imports/:id/errors.csv', summary: 'The rows that failed, with the reason, as CSV', tag: 'CRM', response: { status: 200, schema: z.string(), contentType: 'text/csv' } },
  { method: 'get', path: '/api/exports/clients.csv', summary: 'Stream clients as CSV (?fields=&search=&isActive=&bom=)', tag: 'CRM', query: ExportQuery, response: { status: 200, schema: z.string(), contentType: 'text/csv' } },
  { method: 'get', path: '/api/exports/contacts.csv', summary: 'Stream contacts as CSV (?fields=&search=&isActive=&clientId=&bom=)', tag: 'CRM', query: ExportQuery, response: { status: 200, schema: z.string(), contentType: 'text/csv' } },
  { method: 'get', path: '/api/search', summary: 'Search clients and contacts together (?q=)', tag: 'CRM', query: z.object({ q: z.string().max(200), limit: z.coerce.number().int().min(1).max(50).default(10) }), response: { status: 200, schema: z.object({ clients: ClientList.shape.data, contacts: ContactList.shape.data }) } },
  { method: 'get', path: '/api/timeline', summary: 'Activity timeline, newest first', tag: 'CRM', query: TimelineQuery, response: { status: 200, schema: TimelineList } },
];
