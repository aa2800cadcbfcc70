/** A one-off message carried across a navigation ("Client created."), read once by the next page. */
let message = $state<string | null>(null);

export const flash = {
  set(text: string): void {
    message = text;
  },
  /** Returns the message and clears it. */
  take(): string | null {
    const m = message;
    message = null;
    return m;
  },
};
