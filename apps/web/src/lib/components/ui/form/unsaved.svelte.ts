import { onMount } from 'svelte';
import { beforeNavigate, goto } from '$app/navigation';

/**
 * Guards a form with unsaved changes. In-app navigations (links, back/forward, goto) are held
 * and `pending` is set, so the page can ask in its own dialog; leaving the app or closing the tab
 * gets the browser's native "Leave site?" prompt (beforeunload).
 *
 * Must be called while a component initialises.
 */
export function useUnsavedChangesGuard(isDirty: () => boolean) {
  let pending = $state<URL | null>(null);
  let bypass = false;

  beforeNavigate((nav) => {
    if (bypass || !isDirty()) return;
    if (nav.type === 'leave') {
      // Closing the tab or reloading: SvelteKit turns cancel() into the native prompt.
      nav.cancel();
      return;
    }
    nav.cancel();
    pending = nav.to?.url ?? null;
  });

  onMount(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent): void => {
      if (bypass || !isDirty()) return;
      event.preventDefault();
      // Older browsers need returnValue set to show the prompt.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  });

  return {
    /** Where the person wanted to go, while the page asks whether to discard their changes. */
    get pending(): URL | null {
      return pending;
    },
    set pending(value: URL | null) {
      pending = value;
    },
    /** Stay on the form. */
    stay(): void {
      pending = null;
    },
    /** Discard the changes and go where the person wanted to go. */
    async leave(): Promise<void> {
      const to = pending;
      pending = null;
      if (!to) return;
      await this.navigate(to.origin === window.location.origin ? to.pathname + to.search + to.hash : to.href);
    },
    /** Navigates without asking (after a successful save). */
    async navigate(href: string, options?: Parameters<typeof goto>[1]): Promise<void> {
      bypass = true;
      try {
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith(window.location.origin)) {
          window.location.href = href;
          return;
        }
        await goto(href, options);
      } finally {
        bypass = false;
      }
    },
  };
}

export type UnsavedChangesGuard = ReturnType<typeof useUnsavedChangesGuard>;
