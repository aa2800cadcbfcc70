
import { ApiError } from '$lib/api';
import { describeError, fieldMessage } from '$lib/messages';

/** API path → the id and label of the field that edits it. */
export type FormFields = Record<string, { id: string; label: string }>;

export interface SummaryItem {
  path: string;
  /** Id of the field to focus, when the path belongs to one. */
  targetId: string | null;
  text: string;
}

/** The message shown under a field, e.g. "Name is required"; undefined when the field is fine. */
export function fieldErrorText(fields: FormFields, fieldErrors: Record<string, string>, path: string): string | undefined {
  const message = fieldErrors[path];
  return message ? fieldMessage(fields[path]?.label ?? path, message) : undefined;
}

/**
 * The lines of a form's error summary, each naming its field: "Email: Invalid email address",
 * "Name is required". `other` words an error on a path that no field edits.
 */
export function errorSummaryItems(
  fields: FormFields,
  fieldErrors: Record<string, string>,
  other: (path: string, message: string) => string = (_path, message) => message,
): SummaryItem[] {
  return Object.entries(fieldErrors).map(([path, message]) => {
    const f = fields[path];
    if (!f) return { path, targetId: null, text: other(path, message) };
    const text = fieldMessage(f.label, message);
    return { path, targetId: f.id, text: text === message ? `${f.label}: ${message}` : text };
  });
}

/** Trimmed text, or null when blank. */
export function orNull(v: string): string | null {
  const t = v.trim();
  return t === '' ? null : t;
}

/**
 * What a failed save shows: the API's field errors and a message. Null when the session has
 * expired (401): the app takes the person to sign in again.
 */
export function saveFailure(e: unknown): { fieldErrors: Record<string, string>; message: string } | null {
  if (e instanceof ApiError && e.status === 401) return null;
  return { fieldErrors: e instanceof ApiError ? { ...e.fieldErrors } : {}, message: describeError(e) };
}
