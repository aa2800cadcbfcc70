// Built by apps/web/contract-limits.ts from the contract, at build time.
declare module 'virtual:contract-limits' {
  import type { fieldLabels as contractFieldLabels, importFields as contractImportFields } from '@atelier/contracts';

  /** Schema id (`CreateClientBody`) → dotted field path (`address.line1`) → maximum length. */
  export const maxLengths: Record<string, Record<string, number> | undefined>;
  /** Maximum length of a list's `search` parameter. */
  export const searchMaxLength: number | null;
  /** The contract's `importFields` and `fieldLabels`, as values. */
  export const importFields: typeof contractImportFields;
  export const fieldLabels: typeof contractFieldLabels;
}
