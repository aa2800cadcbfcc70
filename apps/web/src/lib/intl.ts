/**
 * Country and currency names for ISO codes, in the reader's language (Intl.DisplayNames), so
 * forms can offer "United Kingdom" and store "GB".
 */
/** The reader's language, when the browser reports one Intl accepts ("en-US@posix" it does not). */
function readerLocale(): string {
  const wanted = typeof navigator !== 'undefined' ? navigator.language : 'en';
  try {
    return Intl.getCanonicalLocales(wanted)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

let names: { locale: string; regions: Intl.DisplayNames; currencies: Intl.DisplayNames } | null = null;
// Built on first use, not when the app loads.
function displayNames() {
  if (!names) {
    const locale = readerLocale();
    names = {
      locale,
      regions: new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'none' }),
      currencies: new Intl.DisplayNames([locale, 'en'], { type: 'currency', fallback: 'none' }),
    };
  }
  return names;
}

/** "GB" → "United Kingdom"; an unknown code stays as it is. */
export const countryName = (code: string): string => displayNames().regions.of(code) ?? code;

/** "EUR" → "Euro". */
export const currencyName = (code: string): string => displayNames().currencies.of(code) ?? code;

export interface CodeOption {
  code: string;
  name: string;
}

// Codes Intl names that are not countries: user-assigned (AA, QM–QZ, XA–XZ but Kosovo), unions, "unknown".
const notCountries = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

let countryList: CodeOption[] | null = null;
/** Every country Intl can name, by name. */
export function countryOptions(): CodeOption[] {
  if (countryList) return countryList;
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const list: CodeOption[] = [];
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b;
      const name = notCountries.test(code) ? undefined : displayNames().regions.of(code);
      if (name && name !== code) list.push({ code, name });
    }
  }
  countryList = list.sort((x, y) => x.name.localeCompare(y.name, displayNames().locale));
  return countryList;
}

let currencyList: CodeOption[] | null = null;
/** Every currency the browser knows (ISO 4217), by name. */
export function currencyOptions(): CodeOption[] {
  if (currencyList) return currencyList;
  const codes = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : ['USD', 'EUR', 'GBP'];
  currencyList = codes
    .map((code) => ({ code, name: currencyName(code) }))
    .filter((o) => o.name !== o.code)
    .sort((x, y) => x.name.localeCompare(y.name, displayNames().locale));
  return currencyList;
}
