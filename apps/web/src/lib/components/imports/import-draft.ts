import type { ImportCreated } from '@atelier/contracts';
import type { ColumnMatches } from './import-rules';

/**
 * An uploaded, not yet committed import as the wizard holds it: the server's answer to the upload
 * and the person's matches. Kept in the tab's sessionStorage under the import's id (which the URL
 * carries), so a reload of the matching or preview step comes back to it as it was.
 */
export interface ImportDraft {
  upload: ImportCreated;
  fileName: string | null;
  matches: ColumnMatches;
}

const key = (id: string): string => `atelier.import-draft.${id}`;

export function saveDraft(draft: ImportDraft): void {
  try {
    sessionStorage.setItem(key(draft.upload.id), JSON.stringify(draft));
  } catch {
    // Storage full or refused: the wizard still works, a reload just starts from the upload.
  }
}

export function loadDraft(id: string): ImportDraft | null {
  try {
    const raw = sessionStorage.getItem(key(id));
    const draft = raw ? (JSON.parse(raw) as ImportDraft) : null;
    return draft && draft.upload?.id === id && Array.isArray(draft.upload.columns) && draft.matches ? draft : null;
  } catch {
    return null;
  }
}

export function dropDraft(id: string): void {
  try {
    sessionStorage.removeItem(key(id));
  } catch {
    // Nothing to drop.
  }
}
