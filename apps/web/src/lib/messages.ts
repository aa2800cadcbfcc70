import { ApiError } from '$lib/api';
import { fieldMessage } from '$lib/field-messages';

export { fieldMessage };

/**
 * The one place where what the API says goes wrong becomes sentences for people: field
 * messages from problem+json `errors` (zod's words, or the services' fragments such as
 * "is required"), and whole errors by their kit `code` or HTTP status.
 */

/** Sentences for the kit's stable error codes, where the code says more than the status. */
const codeMessages: Record<string, string> = {
  'client.not_found': 'That client no longer exists. It may have been deleted.',
  'contact.primary_conflict': 'Another contact became primary at the same time. Reload and try again.',
};

/** A sentence a person can act on, for any error thrown by `api`. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Something unexpected went wrong. Please try again.';
  const byCode = err.code ? codeMessages[err.code] : undefined;
  if (byCode) return byCode;
  switch (err.status) {
    case 0:
      return 'Could not reach the server. Check your connection and try again.';
    case 400:
      return err.errors.length ? 'Some fields need your attention. Please check the highlighted fields.' : (err.detail ?? 'The request was not valid.');
    case 401:
      return 'Your session has ended. Please log in again.';
    case 403:
      return 'Your role does not allow this action.';
    case 404:
      return 'We could not find what you were looking for. It may have been deleted.';
    case 409:
      return err.detail ?? 'This conflicts with the current state. Reload and try again.';
    case 413:
      return 'That is too large to upload.';
    case 415:
      return err.detail ?? 'That kind of file is not supported.';
    case 429:
      return 'Too many attempts, try again later';
    default:
      return err.status >= 500 ? 'Something went wrong on our side. Please try again in a moment.' : (err.detail ?? err.title);
  }
}

/**
 * The message for the field at `path` (or `query.<path>` for a list's query), as a sentence,
 * or undefined when that field is fine.
 */
export function fieldErrorOf(err: unknown, path: string, label: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const message = err.fieldErrors[path] ?? err.fieldErrors[`query.${path}`];
  return message === undefined ? undefined : fieldMessage(label, message);
}
