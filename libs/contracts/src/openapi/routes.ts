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
  { method: 'get', path: '/api/timeline', summary: 'Activity timeline, newest first', tag: 'CRM', query: TimelineQuery, response: { status: 200, schema: TimelineList } },
];
