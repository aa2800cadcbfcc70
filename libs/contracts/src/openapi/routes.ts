import { z } from 'zod';
import { Uuid } from '../common.js';
import type { ErrorCode } from '../errors.js';
import { ClientList, Client, ClientListQuery, CreateClientBody, UpdateClientBody } from '../http/clients.js';
import {
  AcceptInvitationBody,
  AgencyProfile,
  ApiToken,
  ChangePasswordBody,
  CreateInvitationBody,
  CreatedToken,
  CreateTokenBody,
  Invitation,
  InvitationPreview,
  LoginBody,
  Member,
  PasswordResetBody,
  PasswordResetRequestBody,
  PendingInvitation,
  SessionInfo,
  SessionSummary,
  SignupBody,
  UpdateAgencyBody,
  UpdateMemberBody,
  UpdateProfileBody,
} from '../http/identity.js';
import { TimelineList, TimelineQuery } from '../http/timeline.js';
import { BulkDeleteContactsBody, Contact, ContactList, ContactListQuery, CreateContactBody, UpdateContactBody } from '../http/contacts.js';
import { CreateNoteBody, Note, NoteList, NoteListQuery, UpdateNoteBody } from '../http/notes.js';
import { CommitImportBody, ExportQuery, ImportCreated, ImportJob } from '../http/imports.js';
import { SearchQuery, SearchResults } from '../http/search.js';
import { Attachment, AttachmentContentQuery, AttachmentList, AttachmentListQuery, AttachmentUpload } from '../http/attachments.js';
import { listResponse } from '../common.js';
import { CreateProjectBody, Project, ProjectList, ProjectListQuery, ProjectStats, UpdateProjectBody } from '../http/projects.js';
import { CreateTaskBody, ReorderTasksBody, ReorderTasksResult, Task, TaskList, TaskListQuery, UpdateTaskBody } from '../http/tasks.js';
import {
  CreateTimeEntryBody,
  CurrentTimer,
  StartTimerBody,
  StartedTimer,
  StoppedTimer,
  TimeEntry,
  TimeEntryExportQuery,
  TimeEntryList,
  TimeEntryListQuery,
  TimeSummary,
  TimeSummaryQuery,
  Timesheet,
  TimesheetQuery,
  UpdateTimeEntryBody,
} from '../http/time-entries.js';
import { ApplyRateBody, ApplyRateResult, CreateRateCardBody, RateCard, RateCardList, RateCardListQuery, UpdateRateCardBody } from '../http/rates.js';
import { TimeSettings, UpdateTimeSettingsBody } from '../http/time-settings.js';
import { CreateInvoiceBody, Invoice, InvoiceFromTimeBody, InvoiceHistory, InvoiceList, InvoiceListQuery, PublicInvoice, RemindBody, SendInvoiceBody, UnbilledList, UnbilledQuery, UpdateInvoiceBody } from '../http/invoices.js';
import { InvoicingSettings, UpdateInvoicingSettingsBody } from '../http/invoicing-settings.js';
import { InvoiceSummary, InvoiceSummaryQuery } from '../http/invoice-summary.js';
import { CheckoutBody, CheckoutSessionResponse, Payment, PaymentList, PaymentListQuery, PaymentsConnection, PaymentSummary, PaymentSummaryQuery, RecordPaymentBody, RefundBody, WebhookEvent, WebhookEventList, WebhookEventListQuery } from '../http/payments.js';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteSpec {
  method: HttpMethod;
  /** Stable name of the operation (OpenAPI `operationId`): generated clients call it by this. */
  operationId: string;
  /** The stable problem codes the operation can answer with besides plain validation (see `errorCodes`). */
  errorCodes?: ErrorCode[];
  /** Express-style path (`/api/clients/:id`). */
  path: string;
  summary: string;
  tag: string;
  /** `public`: no session needed. */
  auth?: 'public' | 'session';
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The request body's media type; `application/json` unless said (uploads are `multipart/form-data`). */
  bodyContentType?: string;
  /** Status and schema of the success response; `null` schema means no body. */
  response: { status: number; schema: z.ZodType | null; contentType?: string };
}

/** The type of every path parameter a route may have: ids are uuids, an invitation token is an opaque string. */
export const pathParams: Record<string, z.ZodType> = {
  id: Uuid,
  userId: Uuid,
  token: z.string().min(1).max(200),
  /** An invoice's public link token (base64url, 256 bits). */
  publicToken: z.string().min(1).max(200),
};

const ATTACHMENT_UPLOAD_CODES: ErrorCode[] = ['attachment.not_multipart', 'attachment.invalid_upload', 'attachment.file_too_large', 'attachment.quota_exceeded'];
const ATTACHMENT_UPLOAD_CODES_CLIENT: ErrorCode[] = ['client.not_found', ...ATTACHMENT_UPLOAD_CODES];

/** Every route the gateway serves. OpenAPI is generated from this list, and a test checks it against the running apps. */
export const routes: RouteSpec[] = [
  { method: 'get', path: '/api/openapi.json', operationId: 'getOpenApi', summary: 'This OpenAPI document', tag: 'Meta', auth: 'public', response: { status: 200, schema: z.record(z.string(), z.unknown()) } },
  { method: 'post', path: '/api/auth/signup', operationId: 'signUp', errorCodes: ['auth.email_taken', 'auth.signup_throttled'], summary: 'Create an agency and its owner; signs in', tag: 'Identity', auth: 'public', body: SignupBody, response: { status: 201, schema: SessionInfo } },
  { method: 'post', path: '/api/auth/login', operationId: 'logIn', errorCodes: ['auth.invalid_credentials', 'auth.login_throttled'], summary: 'Sign in', tag: 'Identity', auth: 'public', body: LoginBody, response: { status: 200, schema: SessionInfo } },
  { method: 'post', path: '/api/auth/logout', operationId: 'logOut', summary: 'Sign out', tag: 'Identity', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/auth/me', operationId: 'getSession', errorCodes: ['auth.required'], summary: 'The signed-in user, agency and role', tag: 'Identity', response: { status: 200, schema: SessionInfo } },
  { method: 'post', path: '/api/auth/invitations', operationId: 'createInvitation', errorCodes: ['invitation.forbidden', 'invitation.owner_only', 'invitation.already_member'], summary: 'Invite someone to the agency (owner/admin)', tag: 'Identity', body: CreateInvitationBody, response: { status: 201, schema: Invitation } },
  { method: 'post', path: '/api/auth/invitations/:token/accept', operationId: 'acceptInvitation', errorCodes: ['invitation.not_found', 'invitation.already_accepted', 'invitation.expired', 'invitation.sign_in_required', 'invitation.other_account', 'invitation.fields_required', 'invitation.accept_throttled', 'auth.invalid_credentials', 'auth.login_throttled'], summary: 'Accept an invitation and sign in as the member: { name, password } creates the account (409 invitation.sign_in_required if the email has one); { password } signs in as the invited email through the throttled login check (401 like login); {} accepts for the signed-in account. Throttled per address and invitation', tag: 'Identity', auth: 'public', body: AcceptInvitationBody, response: { status: 201, schema: SessionInfo } },
  { method: 'get', path: '/api/auth/invitations/:token', operationId: 'previewInvitation', errorCodes: ['invitation.not_found', 'invitation.already_accepted', 'invitation.expired', 'invitation.accept_throttled'], summary: 'What an invitation link is for (agency, email, role), for the accept page', tag: 'Identity', auth: 'public', response: { status: 200, schema: InvitationPreview } },
  { method: 'get', path: '/api/auth/invitations', operationId: 'listInvitations', errorCodes: ['invitation.forbidden'], summary: 'Pending invitations (owner/admin)', tag: 'Identity', response: { status: 200, schema: listResponse(PendingInvitation) } },
  { method: 'delete', path: '/api/auth/invitations/:id', operationId: 'revokeInvitation', errorCodes: ['invitation.forbidden', 'invitation.not_found'], summary: 'Revoke a pending invitation (owner/admin)', tag: 'Identity', response: { status: 204, schema: null } },
  { method: 'post', path: '/api/auth/invitations/:id/resend', operationId: 'resendInvitation', errorCodes: ['invitation.forbidden', 'invitation.not_found'], summary: 'Email a pending invitation again with a new link; the old link stops working (owner/admin)', tag: 'Identity', response: { status: 200, schema: Invitation } },
  { method: 'get', path: '/api/auth/members', operationId: 'listMembers', summary: 'Members of the agency', tag: 'Identity', response: { status: 200, schema: listResponse(Member) } },
  { method: 'patch', path: '/api/auth/members/:userId', operationId: 'updateMember', errorCodes: ['member.forbidden', 'member.not_found', 'member.owner_only', 'member.last_owner'], summary: "Change a member's role (owner/admin)", tag: 'Identity', body: UpdateMemberBody, response: { status: 200, schema: Member } },
  { method: 'delete', path: '/api/auth/members/:userId', operationId: 'removeMember', errorCodes: ['member.forbidden', 'member.not_found', 'member.owner_only', 'member.last_owner'], summary: 'Remove a member (owner/admin): their sessions and tokens for this agency stop at once', tag: 'Identity', response: { status: 204, schema: null } },
  { method: 'post', path: '/api/auth/tokens', operationId: 'createToken', errorCodes: ['auth.token_create_throttled'], summary: 'Create a personal API token (shown once), optionally expiring', tag: 'Identity', body: CreateTokenBody, response: { status: 201, schema: CreatedToken } },
  { method: 'get', path: '/api/auth/tokens', operationId: 'listTokens', summary: 'Your API tokens in this agency', tag: 'Identity', response: { status: 200, schema: listResponse(ApiToken) } },
  { method: 'delete', path: '/api/auth/tokens/:id', operationId: 'revokeToken', errorCodes: ['token.not_found'], summary: 'Revoke one of your API tokens at once', tag: 'Identity', response: { status: 204, schema: null } },
  { method: 'patch', path: '/api/auth/me', operationId: 'updateProfile', errorCodes: ['auth.required'], summary: 'Change your name', tag: 'Identity', body: UpdateProfileBody, response: { status: 200, schema: SessionInfo } },
  { method: 'post', path: '/api/auth/password', operationId: 'changePassword', errorCodes: ['auth.wrong_password', 'auth.password_change_throttled'], summary: 'Change your password; your other sessions end', tag: 'Identity', body: ChangePasswordBody, response: { status: 204, schema: null } },
  { method: 'post', path: '/api/auth/password-reset', operationId: 'requestPasswordReset', errorCodes: ['auth.password_reset_throttled'], summary: 'Email a single-use reset link valid 1 hour; 202 whether or not the account exists', tag: 'Identity', auth: 'public', body: PasswordResetRequestBody, response: { status: 202, schema: null } },
  { method: 'post', path: '/api/auth/password-reset/:token', operationId: 'resetPassword', errorCodes: ['password_reset.invalid', 'auth.password_reset_throttled'], summary: 'Set a new password from a reset link; every session of the user ends', tag: 'Identity', auth: 'public', body: PasswordResetBody, response: { status: 204, schema: null } },
  { method: 'get', path: '/api/auth/sessions', operationId: 'listSessions', summary: 'Your sessions in this agency (device, last seen)', tag: 'Identity', response: { status: 200, schema: listResponse(SessionSummary) } },
  { method: 'delete', path: '/api/auth/sessions', operationId: 'revokeOtherSessions', summary: 'Sign out everywhere else: every session but the current one', tag: 'Identity', response: { status: 204, schema: null } },
  { method: 'delete', path: '/api/auth/sessions/:id', operationId: 'revokeSession', errorCodes: ['session.not_found'], summary: 'Sign out one of your sessions', tag: 'Identity', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/agency', operationId: 'getAgency', errorCodes: ['agency.not_found'], summary: 'The agency profile', tag: 'Identity', response: { status: 200, schema: AgencyProfile } },
  { method: 'patch', path: '/api/agency', operationId: 'updateAgency', errorCodes: ['agency.forbidden'], summary: 'Change the agency profile (owner/admin); timezone is an IANA name', tag: 'Identity', body: UpdateAgencyBody, response: { status: 200, schema: AgencyProfile } },
  { method: 'put', path: '/api/agency/logo', operationId: 'uploadAgencyLogo', errorCodes: ['agency.forbidden', 'agency.logo_missing', 'agency.logo_too_large', 'agency.logo_type'], summary: 'Upload the logo as the raw body (Content-Type image/png or image/jpeg, at most 1 MB; the bytes must be PNG or JPEG) (owner/admin)', tag: 'Identity', response: { status: 200, schema: AgencyProfile } },
  { method: 'delete', path: '/api/agency/logo', operationId: 'deleteAgencyLogo', errorCodes: ['agency.forbidden'], summary: 'Remove the logo (owner/admin)', tag: 'Identity', response: { status: 204, schema: null } },

  { method: 'get', path: '/api/clients', operationId: 'listClients', errorCodes: ['list.invalid_cursor'], summary: 'List clients', tag: 'CRM', query: ClientListQuery, response: { status: 200, schema: ClientList } },
  { method: 'post', path: '/api/clients', operationId: 'createClient', summary: 'Create a client (owner/admin/manager)', tag: 'CRM', body: CreateClientBody, response: { status: 201, schema: Client } },
  { method: 'get', path: '/api/clients/:id', operationId: 'getClient', errorCodes: ['client.not_found'], summary: 'Get a client', tag: 'CRM', response: { status: 200, schema: Client } },
  { method: 'patch', path: '/api/clients/:id', operationId: 'updateClient', errorCodes: ['client.not_found'], summary: 'Update a client (owner/admin/manager)', tag: 'CRM', body: UpdateClientBody, response: { status: 200, schema: Client } },
  { method: 'delete', path: '/api/clients/:id', operationId: 'deleteClient', errorCodes: ['client.not_found'], summary: 'Soft-delete a client (owner/admin/manager)', tag: 'CRM', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/clients/:id/contacts', operationId: 'listClientContacts', errorCodes: ['client.not_found', 'list.invalid_cursor'], summary: "A client's contacts", tag: 'CRM', query: ContactListQuery, response: { status: 200, schema: ContactList } },
  { method: 'post', path: '/api/clients/:id/contacts', operationId: 'createContact', errorCodes: ['client.not_found', 'contact.primary_conflict'], summary: 'Add a contact to a client (owner/admin/manager); isPrimary demotes the old primary', tag: 'CRM', body: CreateContactBody, response: { status: 201, schema: Contact } },
  { method: 'get', path: '/api/contacts', operationId: 'listContacts', errorCodes: ['list.invalid_cursor'], summary: 'List contacts (?clientId=)', tag: 'CRM', query: ContactListQuery, response: { status: 200, schema: ContactList } },
  { method: 'post', path: '/api/contacts/bulk-delete', operationId: 'bulkDeleteContacts', summary: 'Soft-delete several contacts (owner/admin/manager)', tag: 'CRM', body: BulkDeleteContactsBody, response: { status: 200, schema: z.object({ deleted: z.number().int() }) } },
  { method: 'get', path: '/api/contacts/:id', operationId: 'getContact', errorCodes: ['contact.not_found'], summary: 'Get a contact', tag: 'CRM', response: { status: 200, schema: Contact } },
  { method: 'patch', path: '/api/contacts/:id', operationId: 'updateContact', errorCodes: ['contact.not_found', 'contact.client_not_found', 'contact.primary_conflict', 'contact.moved_concurrently'], summary: 'Update a contact (owner/admin/manager)', tag: 'CRM', body: UpdateContactBody, response: { status: 200, schema: Contact } },
  { method: 'delete', path: '/api/contacts/:id', operationId: 'deleteContact', errorCodes: ['contact.not_found'], summary: 'Soft-delete a contact (owner/admin/manager)', tag: 'CRM', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/clients/:id/notes', operationId: 'listClientNotes', errorCodes: ['client.not_found', 'list.invalid_cursor'], summary: "A client's notes, pinned first, then newest", tag: 'CRM', query: NoteListQuery, response: { status: 200, schema: NoteList } },
  { method: 'post', path: '/api/clients/:id/notes', operationId: 'createNote', errorCodes: ['client.not_found'], summary: 'Add a note to a client', tag: 'CRM', body: CreateNoteBody, response: { status: 201, schema: Note } },
  { method: 'patch', path: '/api/notes/:id', operationId: 'updateNote', errorCodes: ['note.not_found', 'note.not_author'], summary: 'Edit or pin a note (its author, or a manager and above)', tag: 'CRM', body: UpdateNoteBody, response: { status: 200, schema: Note } },
  { method: 'delete', path: '/api/notes/:id', operationId: 'deleteNote', errorCodes: ['note.not_found', 'note.not_author'], summary: 'Delete a note (its author, or a manager and above)', tag: 'CRM', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/clients/:id/attachments', operationId: 'listClientAttachments', errorCodes: ['client.not_found', 'list.invalid_cursor'], summary: "A client's attachments, newest first, with uploader, size, type and date", tag: 'Attachments', query: AttachmentListQuery, response: { status: 200, schema: AttachmentList } },
  { method: 'post', path: '/api/clients/:id/attachments', operationId: 'uploadClientAttachment', errorCodes: ATTACHMENT_UPLOAD_CODES_CLIENT, summary: 'Attach a file to a client (multipart `file`; at most 50 MB, within the agency quota; the type is sniffed from the bytes)', tag: 'Attachments', body: AttachmentUpload, bodyContentType: 'multipart/form-data', response: { status: 201, schema: Attachment } },
  { method: 'get', path: '/api/projects/:id/attachments', operationId: 'listProjectAttachments', errorCodes: ['project.not_found', 'list.invalid_cursor'], summary: "A project's attachments, newest first, with uploader, size, type and date", tag: 'Attachments', query: AttachmentListQuery, response: { status: 200, schema: AttachmentList } },
  { method: 'post', path: '/api/projects/:id/attachments', operationId: 'uploadProjectAttachment', errorCodes: ['project.not_found', ...ATTACHMENT_UPLOAD_CODES], summary: 'Attach a file to a project (multipart `file`; at most 50 MB, within the agency quota; the type is sniffed from the bytes)', tag: 'Attachments', body: AttachmentUpload, bodyContentType: 'multipart/form-data', response: { status: 201, schema: Attachment } },
  { method: 'get', path: '/api/tasks/:id/attachments', operationId: 'listTaskAttachments', errorCodes: ['task.not_found', 'list.invalid_cursor'], summary: "A task's attachments, newest first, with uploader, size, type and date", tag: 'Attachments', query: AttachmentListQuery, response: { status: 200, schema: AttachmentList } },
  { method: 'post', path: '/api/tasks/:id/attachments', operationId: 'uploadTaskAttachment', errorCodes: ['task.not_found', ...ATTACHMENT_UPLOAD_CODES], summary: 'Attach a file to a task (multipart `file`; at most 50 MB, within the agency quota; the type is sniffed from the bytes)', tag: 'Attachments', body: AttachmentUpload, bodyContentType: 'multipart/form-data', response: { status: 201, schema: Attachment } },
  { method: 'get', path: '/api/attachments/:id', operationId: 'getAttachment', errorCodes: ['attachment.not_found'], summary: "An attachment's details (of a client, project or task; routed by the id to the service that owns it)", tag: 'Attachments', response: { status: 200, schema: Attachment } },
  { method: 'delete', path: '/api/attachments/:id', operationId: 'deleteAttachment', errorCodes: ['attachment.not_found', 'attachment.not_uploader'], summary: 'Remove an attachment (its uploader, or a manager and above); the file is deleted by a background job', tag: 'Attachments', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/attachments/:id/content', operationId: 'getAttachmentContent', errorCodes: ['attachment.not_found'], summary: 'The file: a download (`Content-Disposition: attachment`, sandboxing CSP, `nosniff`); `?inline=1` shows an image or PDF inline, script-less', tag: 'Attachments', query: AttachmentContentQuery, response: { status: 200, schema: z.string().meta({ format: 'binary' }), contentType: 'application/octet-stream' } },
  { method: 'post', path: '/api/imports', operationId: 'uploadImport', errorCodes: ['import.invalid_upload', 'import.not_multipart', 'import.file_too_large'], summary: 'Upload a CSV (multipart `file` + `entity`, up to 50 MB): columns, suggested mapping, preview', tag: 'CRM', response: { status: 201, schema: ImportCreated } },
  { method: 'post', path: '/api/imports/:id/commit', operationId: 'commitImport', errorCodes: ['import.not_found', 'import.not_uploaded', 'import.invalid_mapping'], summary: 'Start importing with a column → field mapping', tag: 'CRM', body: CommitImportBody, response: { status: 202, schema: ImportJob } },
  { method: 'get', path: '/api/imports/:id', operationId: 'getImport', errorCodes: ['import.not_found'], summary: 'Import progress and row errors', tag: 'CRM', response: { status: 200, schema: ImportJob } },
  { method: 'get', path: '/api/imports/:id/errors.csv', operationId: 'getImportErrorsCsv', errorCodes: ['import.not_found'], summary: 'The rows that failed, with the reason, as CSV', tag: 'CRM', response: { status: 200, schema: z.string(), contentType: 'text/csv' } },
  { method: 'get', path: '/api/exports/clients.csv', operationId: 'exportClientsCsv', errorCodes: ['export.unknown_field'], summary: 'Stream clients as CSV (?fields=&search=&isActive=&bom=)', tag: 'CRM', query: ExportQuery, response: { status: 200, schema: z.string(), contentType: 'text/csv' } },
  { method: 'get', path: '/api/exports/contacts.csv', operationId: 'exportContactsCsv', errorCodes: ['export.unknown_field'], summary: 'Stream contacts as CSV (?fields=&search=&isActive=&clientId=&bom=)', tag: 'CRM', query: ExportQuery, response: { status: 200, schema: z.string(), contentType: 'text/csv' } },
  { method: 'get', path: '/api/search', operationId: 'search', summary: 'Search clients and contacts together (?q=)', tag: 'CRM', query: SearchQuery, response: { status: 200, schema: SearchResults } },
  { method: 'get', path: '/api/timeline', operationId: 'listTimeline', errorCodes: ['list.invalid_cursor'], summary: 'Activity timeline, newest first', tag: 'CRM', query: TimelineQuery, response: { status: 200, schema: TimelineList } },
  { method: 'get', path: '/api/projects', operationId: 'listProjects', errorCodes: ['list.invalid_cursor'], summary: 'List projects (?clientId=&status=&search=)', tag: 'Projects', query: ProjectListQuery, response: { status: 200, schema: ProjectList } },
  { method: 'post', path: '/api/projects', operationId: 'createProject', errorCodes: ['project.forbidden', 'project.client_inactive', 'project.invalid_amount'], summary: "Create a project for an active client (owner/admin/manager); currency defaults to the client's, hourlyRate becomes the project's rate card", tag: 'Projects', body: CreateProjectBody, response: { status: 201, schema: Project } },
  { method: 'get', path: '/api/projects/:id', operationId: 'getProject', errorCodes: ['project.not_found'], summary: 'Get a project', tag: 'Projects', response: { status: 200, schema: Project } },
  { method: 'patch', path: '/api/projects/:id', operationId: 'updateProject', errorCodes: ['project.not_found', 'project.forbidden', 'project.client_inactive', 'project.currency_locked', 'project.invalid_amount'], summary: 'Update a project (owner/admin/manager); a changed hourlyRate adds a project rate card effective today', tag: 'Projects', body: UpdateProjectBody, response: { status: 200, schema: Project } },
  { method: 'delete', path: '/api/projects/:id', operationId: 'deleteProject', errorCodes: ['project.not_found', 'project.forbidden', 'project.has_invoiced_time'], summary: 'Soft-delete a project (owner/admin/manager); refused once any of its time is on an invoice', tag: 'Projects', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/projects/:id/stats', operationId: 'getProjectStats', errorCodes: ['project.not_found'], summary: 'Hours, money and budget use, tasks by status, forecast run-out date', tag: 'Projects', response: { status: 200, schema: ProjectStats } },
  { method: 'get', path: '/api/projects/:id/tasks', operationId: 'listProjectTasks', errorCodes: ['project.not_found', 'list.invalid_cursor'], summary: "A project's tasks, by column and position unless sorted", tag: 'Projects', query: TaskListQuery, response: { status: 200, schema: TaskList } },
  { method: 'post', path: '/api/projects/:id/tasks', operationId: 'createTask', errorCodes: ['project.not_found', 'task.assignee_not_member'], summary: 'Add a task at the end of its column', tag: 'Projects', body: CreateTaskBody, response: { status: 201, schema: Task } },
  { method: 'post', path: '/api/projects/:id/tasks/reorder', operationId: 'reorderTasks', errorCodes: ['project.not_found', 'task.reorder_unknown_task', 'task.forbidden'], summary: 'Set the order of a status column, moving listed tasks into it, in one transaction', tag: 'Projects', body: ReorderTasksBody, response: { status: 200, schema: ReorderTasksResult } },
  { method: 'get', path: '/api/tasks/:id', operationId: 'getTask', errorCodes: ['task.not_found'], summary: 'Get a task', tag: 'Projects', response: { status: 200, schema: Task } },
  { method: 'patch', path: '/api/tasks/:id', operationId: 'updateTask', errorCodes: ['task.not_found', 'task.forbidden', 'task.assignee_not_member'], summary: 'Update a task (its assignee, or a manager and above)', tag: 'Projects', body: UpdateTaskBody, response: { status: 200, schema: Task } },
  { method: 'delete', path: '/api/tasks/:id', operationId: 'deleteTask', errorCodes: ['task.not_found', 'task.forbidden'], summary: 'Delete a task (its creator, or a manager and above)', tag: 'Projects', response: { status: 204, schema: null } },
  { method: 'get', path: '/api/time-entries', operationId: 'listTimeEntries', errorCodes: ['list.invalid_cursor', 'time_entry.forbidden'], summary: 'List time entries (?projectId=&taskId=&userId=&clientId=&from=&to=&billingStatus=&isBillable=&search=); members see their own', tag: 'Time', query: TimeEntryListQuery, response: { status: 200, schema: TimeEntryList } },
  { method: 'post', path: '/api/time-entries', operationId: 'createTimeEntry', errorCodes: ['project.not_found', 'project.not_active', 'task.not_in_project', 'time_entry.forbidden', 'time_entry.user_not_member', 'time_entry.too_long'], summary: 'Log time: minutes on a date, or startedAt and endedAt', tag: 'Time', body: CreateTimeEntryBody, response: { status: 201, schema: TimeEntry } },
  { method: 'get', path: '/api/time-entries/summary', operationId: 'summarizeTimeEntries', errorCodes: ['time_entry.forbidden'], summary: 'Totals of minutes, billable minutes and amount per user, task, project or day; members see their own', tag: 'Time', query: TimeSummaryQuery, response: { status: 200, schema: TimeSummary } },
  { method: 'get', path: '/api/time-entries.csv', operationId: 'exportTimeEntriesCsv', errorCodes: ['time_entry.forbidden'], summary: "Stream time entries as CSV with the list's filters (UTF-8 with BOM, formula-guarded cells); members export their own", tag: 'Time', query: TimeEntryExportQuery, response: { status: 200, schema: z.string(), contentType: 'text/csv' } },
  { method: 'get', path: '/api/time-entries/:id', operationId: 'getTimeEntry', errorCodes: ['time_entry.not_found', 'time_entry.forbidden'], summary: 'Get a time entry', tag: 'Time', response: { status: 200, schema: TimeEntry } },
  { method: 'patch', path: '/api/time-entries/:id', operationId: 'updateTimeEntry', errorCodes: ['time_entry.not_found', 'time_entry.locked', 'time_entry.forbidden', 'time_entry.too_long', 'project.not_found', 'project.not_active', 'task.not_in_project'], summary: 'Edit a time entry (409 while reserved or billed)', tag: 'Time', body: UpdateTimeEntryBody, response: { status: 200, schema: TimeEntry } },
  { method: 'delete', path: '/api/time-entries/:id', operationId: 'deleteTimeEntry', errorCodes: ['time_entry.not_found', 'time_entry.locked', 'time_entry.forbidden'], summary: 'Delete a time entry (409 while reserved or billed)', tag: 'Time', response: { status: 204, schema: null } },
  { method: 'post', path: '/api/timers/start', operationId: 'startTimer', errorCodes: ['project.not_found', 'project.not_active', 'task.not_in_project'], summary: 'Start your timer; a running one is stopped and returned', tag: 'Time', body: StartTimerBody, response: { status: 201, schema: StartedTimer } },
  { method: 'post', path: '/api/timers/stop', operationId: 'stopTimer', errorCodes: ['timer.not_running'], summary: 'Stop your running timer: it becomes a time entry', tag: 'Time', response: { status: 200, schema: StoppedTimer } },
  { method: 'get', path: '/api/timers/current', operationId: 'getCurrentTimer', summary: 'Your running timer, if any, with its elapsed time by the server clock', tag: 'Time', response: { status: 200, schema: CurrentTimer } },
  { method: 'get', path: '/api/timesheet', operationId: 'getTimesheet', errorCodes: ['timesheet.forbidden'], summary: "A user's week (?weekOf=&userId=), from the agency's week start", tag: 'Time', query: TimesheetQuery, response: { status: 200, schema: Timesheet } },
  { method: 'get', path: '/api/rates', operationId: 'listRateCards', errorCodes: ['list.invalid_cursor', 'rate.forbidden'], summary: 'List rate cards (?scope=&clientId=&projectId=&userId=)', tag: 'Time', query: RateCardListQuery, response: { status: 200, schema: RateCardList } },
  { method: 'post', path: '/api/rates', operationId: 'createRateCard', errorCodes: ['rate.forbidden', 'rate.target_not_found', 'rate.duplicate', 'rate.invalid_amount'], summary: 'Add a rate card; existing entries keep their frozen rate', tag: 'Time', body: CreateRateCardBody, response: { status: 201, schema: RateCard } },
  { method: 'patch', path: '/api/rates/:id', operationId: 'updateRateCard', errorCodes: ['rate.not_found', 'rate.forbidden', 'rate.duplicate', 'rate.invalid_amount'], summary: 'Change a rate card; existing entries keep their frozen rate', tag: 'Time', body: UpdateRateCardBody, response: { status: 200, schema: RateCard } },
  { method: 'delete', path: '/api/rates/:id', operationId: 'deleteRateCard', errorCodes: ['rate.not_found', 'rate.forbidden'], summary: 'Delete a rate card', tag: 'Time', response: { status: 204, schema: null } },
  { method: 'post', path: '/api/rates/:id/apply', operationId: 'applyRateCard', errorCodes: ['rate.not_found', 'rate.forbidden'], summary: 'Apply the rate card to the unbilled entries it covers; says how many changed', tag: 'Time', body: ApplyRateBody, response: { status: 200, schema: ApplyRateResult } },
  { method: 'get', path: '/api/settings/time', operationId: 'getTimeSettings', summary: "The agency's rounding rule, week start and default billability", tag: 'Time', response: { status: 200, schema: TimeSettings } },
  { method: 'patch', path: '/api/settings/time', operationId: 'updateTimeSettings', errorCodes: ['settings.forbidden'], summary: 'Change the time settings (owner/admin); new and edited entries follow the new rule', tag: 'Time', body: UpdateTimeSettingsBody, response: { status: 200, schema: TimeSettings } },
  { method: 'get', path: '/api/invoices', operationId: 'listInvoices', errorCodes: ['invoice.forbidden', 'list.invalid_cursor'], summary: 'List invoices (?status=&clientId=&projectId=&from=&to= issue days, search by number or client name; newest first) with the total (owner/admin/manager)', tag: 'Invoices', query: InvoiceListQuery, response: { status: 200, schema: InvoiceList } },
  { method: 'post', path: '/api/invoices', operationId: 'createInvoice', errorCodes: ['invoice.forbidden', 'invoice.client_unknown', 'invoice.project_mismatch', 'invoice.unknown_line', 'invoice.invalid_amount'], summary: "Create a draft with manual lines; currency defaults to the client's, tax rate, notes and terms to the invoicing settings; figures from libs/money", tag: 'Invoices', body: CreateInvoiceBody, response: { status: 201, schema: Invoice } },
  { method: 'get', path: '/api/invoices/:id', operationId: 'getInvoice', errorCodes: ['invoice.not_found', 'invoice.forbidden'], summary: 'Get an invoice with its lines, their time entries, figures and (once issued) public link', tag: 'Invoices', response: { status: 200, schema: Invoice } },
  { method: 'patch', path: '/api/invoices/:id', operationId: 'updateInvoice', errorCodes: ['invoice.not_found', 'invoice.forbidden', 'invoice.not_draft', 'invoice.client_unknown', 'invoice.project_mismatch', 'invoice.unknown_line', 'invoice.invalid_amount', 'invoice.invalid_dates', 'invoice.has_time'], summary: 'Change a draft; `lineItems` replaces the whole list (lines with `id` kept, lines left out removed and their time released)', tag: 'Invoices', body: UpdateInvoiceBody, response: { status: 200, schema: Invoice } },
  { method: 'delete', path: '/api/invoices/:id', operationId: 'deleteInvoice', errorCodes: ['invoice.not_found', 'invoice.forbidden', 'invoice.not_draft'], summary: 'Delete a draft; its time is released', tag: 'Invoices', response: { status: 204, schema: null } },
  { method: 'post', path: '/api/invoices/:id/void', operationId: 'voidInvoice', errorCodes: ['invoice.not_found', 'invoice.forbidden', 'invoice.is_draft', 'invoice.voided', 'invoice.has_payments'], summary: 'Void an issued invoice nothing is paid on; its time is unbilled again', tag: 'Invoices', response: { status: 200, schema: Invoice } },
  { method: 'get', path: '/api/invoices/:id/history', operationId: 'getInvoiceHistory', errorCodes: ['invoice.not_found', 'invoice.forbidden'], summary: 'Every status the invoice went through, with who moved it (null: the system, a payment)', tag: 'Invoices', response: { status: 200, schema: InvoiceHistory } },
  { method: 'get', path: '/api/invoices/unbilled', operationId: 'listUnbilledTime', errorCodes: ['invoice.forbidden'], summary: 'Unbilled billable time per project (?clientId=): rounded minutes, their amount at the frozen rates and how many entries; time on a live draft is not unbilled (owner/admin/manager)', tag: 'Invoices', query: UnbilledQuery, response: { status: 200, schema: UnbilledList } },
  { method: 'post', path: '/api/invoices/from-time', operationId: 'createInvoiceFromTime', errorCodes: ['invoice.forbidden', 'project.not_found', 'invoice.client_unknown', 'invoice.no_unbilled_time', 'invoice.too_many_lines', 'invoice.time_entry_taken', 'invoice.invalid_amount', 'invoice.invalid_time_entry'], summary: "A draft of the project's unbilled billable time between from and to (inclusive work days), one line per entry, task, member or day (groupBy, default task) at the frozen rates, split per rate; each line's amount is exactly its entries' amounts. Reserves the entries; concurrent calls never take an entry twice (owner/admin/manager)", tag: 'Invoices', body: InvoiceFromTimeBody, response: { status: 201, schema: Invoice } },
  { method: 'get', path: '/api/invoices/:id/pdf', operationId: 'getInvoicePdf', errorCodes: ['invoice.not_found', 'invoice.forbidden'], summary: 'The invoice as a PDF, any status (a draft is marked DRAFT); once sent, the PDF stored at the first send, byte for byte (its SHA-256 is the ETag)', tag: 'Invoices', response: { status: 200, schema: z.string().meta({ format: 'binary' }), contentType: 'application/pdf' } },
  { method: 'post', path: '/api/invoices/:id/send', operationId: 'sendInvoice', errorCodes: ['invoice.not_found', 'invoice.forbidden', 'invoice.voided', 'invoice.no_recipient', 'invoice.time_changed', 'invoice.empty', 'invoice.due_before_issue', 'invoice.invalid_dates'], summary: "Email the invoice (HTML and text, the PDF attached, the public link) to `to`, else the client's primary contact, else the client's email, with `cc` and a message; a draft is issued first (its number); the PDF is stored at the first send and re-sent as it is", tag: 'Invoices', body: SendInvoiceBody, response: { status: 200, schema: Invoice } },
  { method: 'post', path: '/api/invoices/:id/remind', operationId: 'remindInvoice', errorCodes: ['invoice.not_found', 'invoice.forbidden', 'invoice.not_remindable', 'invoice.no_recipient'], summary: 'Email a payment reminder now with the stored PDF (sent, viewed, partially paid or overdue invoices only)', tag: 'Invoices', body: RemindBody, response: { status: 200, schema: Invoice } },
  { method: 'get', path: '/api/public/invoices/:publicToken', operationId: 'getPublicInvoice', errorCodes: ['invoice.not_found'], summary: "The public invoice page's content, no sign-in; the client's first view marks the invoice viewed (a preview by a member of the agency does not); unknown or void → 404", tag: 'Invoices', auth: 'public', response: { status: 200, schema: PublicInvoice } },
  { method: 'get', path: '/api/public/invoices/:publicToken/pdf', operationId: 'getPublicInvoicePdf', errorCodes: ['invoice.not_found'], summary: 'The PDF of the public invoice page (the one stored at send), as a download; counts as a view like the page', tag: 'Invoices', auth: 'public', response: { status: 200, schema: z.string().meta({ format: 'binary' }), contentType: 'application/pdf' } },
  { method: 'get', path: '/api/settings/invoicing', operationId: 'getInvoicingSettings', errorCodes: ['invoicing_settings.forbidden'], summary: 'Numbering, due days, default tax, terms and notes, rounding, reminders, sender (owner/admin)', tag: 'Invoices', response: { status: 200, schema: InvoicingSettings } },
  { method: 'patch', path: '/api/settings/invoicing', operationId: 'updateInvoicingSettings', errorCodes: ['invoicing_settings.forbidden'], summary: 'Change the invoicing settings (owner/admin); drafts keep the rounding they were made with', tag: 'Invoices', body: UpdateInvoicingSettingsBody, response: { status: 200, schema: InvoicingSettings } },
  { method: 'get', path: '/api/invoices/summary', operationId: 'summarizeInvoices', errorCodes: ['invoice.forbidden'], summary: "Extension: count and sums per status and currency with the list's filters (?clientId=&projectId=&from=&to=&search=), and what was paid in full since ?paidSince=", tag: 'Invoices', query: InvoiceSummaryQuery, response: { status: 200, schema: InvoiceSummary } },
  // --- payments-service --------------------------------------------------------------------
  { method: 'post', path: '/api/payments/checkout', operationId: 'createCheckout', errorCodes: ['payment.invoice_not_found', 'payment.nothing_due', 'payment.invoice_void', 'payment.unchargeable_amount'], summary: "A Stripe Checkout Session for the invoice's amount due, in its currency; the same invoice and amount give the same session (a double click, a retry)", tag: 'Payments', body: CheckoutBody, response: { status: 200, schema: CheckoutSessionResponse } },
  { method: 'post', path: '/api/public/invoices/:publicToken/checkout', operationId: 'createPublicCheckout', errorCodes: ['payment.invoice_not_found', 'payment.nothing_due', 'payment.unchargeable_amount'], summary: 'The same from the public invoice page, no sign-in; back to /i/:publicToken after paying or cancelling. An unknown token or a void invoice → 404', tag: 'Payments', auth: 'public', response: { status: 200, schema: CheckoutSessionResponse } },
  { method: 'post', path: '/webhooks/stripe', operationId: 'receiveStripeWebhook', errorCodes: ['webhook.invalid_signature', 'webhook.invalid_event'], summary: "Stripe's signed events, the raw body as sent (Stripe-Signature verified with 300 s tolerance, else 400); 2xx once the event is in the ledger and applied, a duplicate acknowledged without effect", tag: 'Payments', auth: 'public', body: z.record(z.string(), z.unknown()), response: { status: 200, schema: z.object({ received: z.literal(true), outcome: z.enum(['processed', 'ignored', 'duplicate', 'not_ours']) }) } },
  { method: 'get', path: '/api/payments', operationId: 'listPayments', errorCodes: ['list.invalid_cursor'], summary: 'List payments, newest first (?invoiceId=&status=; extensions: ?method=, ?search= in the invoice number or the reference, and each row\'s `invoiceNumber`)', tag: 'Payments', query: PaymentListQuery, response: { status: 200, schema: PaymentList } },
  { method: 'post', path: '/api/payments', operationId: 'recordPayment', errorCodes: ['payment.forbidden', 'payment.invoice_not_found', 'payment.invoice_void', 'payment.invalid_amount'], summary: 'Record a payment received outside Stripe (bank transfer, cash, check, other; manager and above); more than is due is recorded and flagged `overpaid`', tag: 'Payments', body: RecordPaymentBody, response: { status: 201, schema: Payment } },
  { method: 'get', path: '/api/payments/webhook-events', operationId: 'listWebhookEvents', errorCodes: ['list.invalid_cursor', 'payment.forbidden'], summary: 'The ledger of Stripe events received (owner/admin), newest first (?status=&type=)', tag: 'Payments', query: WebhookEventListQuery, response: { status: 200, schema: WebhookEventList } },
  { method: 'post', path: '/api/payments/webhook-events/:id/replay', operationId: 'replayWebhookEvent', errorCodes: ['payment.forbidden', 'webhook_event.not_found'], summary: "Apply a recorded Stripe event again (owner/admin); Stripe's current state decides, so a replay never moves a payment backwards", tag: 'Payments', response: { status: 200, schema: WebhookEvent } },
  { method: 'get', path: '/api/payments/connection', operationId: 'getPaymentsConnection', errorCodes: ['payment.forbidden'], summary: "Extension: how payments-service reaches Stripe (owner/admin): the local emulator or Stripe, test or live keys, the API host, whether the webhook secret is the account's, and when this agency's last Stripe event arrived", tag: 'Payments', response: { status: 200, schema: PaymentsConnection } },
  { method: 'get', path: '/api/payments/summary', operationId: 'summarizePayments', errorCodes: ['payment.invalid_period'], summary: 'Extension: per currency, what payments paid between ?from= and ?to= (inclusive, YYYY-MM-DD; default the current month, UTC) received, what of it was refunded, and how many there were', tag: 'Payments', query: PaymentSummaryQuery, response: { status: 200, schema: PaymentSummary } },
  { method: 'get', path: '/api/payments/:id', operationId: 'getPayment', errorCodes: ['payment.not_found'], summary: 'One payment', tag: 'Payments', response: { status: 200, schema: Payment } },
  { method: 'post', path: '/api/payments/:id/refund', operationId: 'refundPayment', errorCodes: ['payment.forbidden', 'payment.not_found', 'payment.not_refundable', 'payment.refund_too_large', 'payment.invalid_amount'], summary: 'Refund a payment, all that remains without `amount` (manager and above); Stripe payments through Stripe, manual ones recorded', tag: 'Payments', body: RefundBody, response: { status: 200, schema: Payment } },
];
