import { tick } from 'svelte';
import { page } from '$app/state';
import { safeReturnPath } from '$lib/navigation';
import { errorSummaryItems, fieldErrorText, saveFailure, type FormFields } from './form-errors';
import { useUnsavedChangesGuard } from './unsaved.svelte';

/** Which button sent the form: "Save & close" leaves it, "Save & continue" stays on it. */
export type SaveMode = 'close' | 'continue';

export interface FormOptions<V, R> {
  /** The values the form starts with. */
  values: V;
  /** API path → the id and label of the field that edits it (errors name fields by label). */
  fields: FormFields;
  /** Checks before asking the server: API path → message ("is required"); empty when fine. */
  check?: (values: V) => Record<string, string>;
  /** Sends the values; rejects with the API's error. */
  save: (values: V) => Promise<R>;
  /** The values after a save (usually those of the saved record); default: as they are. */
  valuesAfterSave?: (saved: R) => V;
  /** After a save: navigate (with `form.leave`) or return a confirmation to show on the form. */
  onsaved: (saved: R, mode: SaveMode) => Promise<string | void> | string | void;
}

/**
 * The app's one form primitive: values, dirty tracking with the unsaved-changes guard, local
 * checks and problem+json field errors worded for people (with a summary that links to each
 * field), and save & close / save & continue. Render it with `<Form>`. Must be called while a
 * component initialises.
 */
export function useForm<V extends object, R>(options: FormOptions<V, R>) {
  let values = $state(options.values);
  let baseline = $state(JSON.stringify(options.values));
  const dirty = $derived(JSON.stringify(values) !== baseline);
  let submitting = $state(false);
  let fieldErrors = $state<Record<string, string>>({});
  let formError = $state<string | null>(null);
  let savedMessage = $state<string | null>(null);
  let summary: { focus(): void } | null = null;
  const guard = useUnsavedChangesGuard(() => dirty && !submitting);

  async function showErrors(): Promise<void> {
    await tick();
    summary?.focus();
  }

  async function submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (submitting) return;
    const mode: SaveMode = (event.submitter as HTMLButtonElement | null)?.value === 'continue' ? 'continue' : 'close';
    formError = null;
    fieldErrors = {};
    savedMessage = null;

    const problems = options.check?.(values) ?? {};
    if (Object.keys(problems).length) {
      fieldErrors = problems;
      formError = 'Some fields need your attention.';
      await showErrors();
      return;
    }

    submitting = true;
    try {
      const saved = await options.save(values);
      if (options.valuesAfterSave) values = options.valuesAfterSave(saved);
      baseline = JSON.stringify(values);
      const message = await options.onsaved(saved, mode);
      if (message) savedMessage = message;
    } catch (e) {
      const failure = saveFailure(e);
      if (!failure) return;
      fieldErrors = failure.fieldErrors;
      formError = failure.message;
      await showErrors();
    } finally {
      submitting = false;
    }
  }

  return {
    get values(): V {
      return values;
    },
    set values(v: V) {
      values = v;
    },
    get dirty() {
      return dirty;
    },
    get submitting() {
      return submitting;
    },
    get fieldErrors() {
      return fieldErrors;
    },
    get formError() {
      return formError;
    },
    get savedMessage() {
      return savedMessage;
    },
    set savedMessage(m: string | null) {
      savedMessage = m;
    },
    /** The summary lines, each naming its field by label and linking to it. */
    get summaryItems() {
      return errorSummaryItems(options.fields, fieldErrors, (path, message) => (path === '(body)' || path === '' ? message : `${path}: ${message}`));
    },
    /** The message under the field at `path`, as a sentence. */
    error: (path: string): string | undefined => fieldErrorText(options.fields, fieldErrors, path),
    /** Sets an error found outside the form's own checks. */
    setErrors(errors: Record<string, string>, message = 'Some fields need your attention.'): void {
      fieldErrors = errors;
      formError = message;
      void showErrors();
    },
    set summary(s: { focus(): void } | null) {
      summary = s;
    },
    guard,
    submit,
    /** Navigates without the unsaved-changes question (after a save). */
    leave: guard.navigate.bind(guard),
  };
}

export type Form = ReturnType<typeof useForm<object, unknown>>;

/**
 * Where "Save & close" and "Cancel" go: the `returnTo` of the URL (the screen the person came
 * from, same site only), else `fallback`.
 */
export function returnTarget(fallback: string): string {
  return safeReturnPath(page.url.searchParams.get('returnTo'), fallback);
}
