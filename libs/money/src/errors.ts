/** Why a money operation was refused; `code` is stable so callers can map it (to a 400 naming the field, say). */
export type MoneyErrorCode =
  | 'money.invalid_decimal'
  | 'money.too_many_decimals'
  | 'money.unknown_currency'
  | 'money.currency_mismatch'
  | 'money.invalid_ratios'
  | 'money.unsafe_integer'
  | 'money.stripe_unrepresentable'
  | 'money.invalid_discount'
  | 'money.invalid_percentage';

export class MoneyError extends Error {
  override readonly name = 'MoneyError';
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
    /** The input field at fault where one is known ("lines[2].unitPrice"), for a 400 naming it. */
    readonly path?: string,
  ) {
    super(message);
  }
}
