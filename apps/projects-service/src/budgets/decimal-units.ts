/**
 * A non-negative decimal string as an integer count of 10^-scale units, so budget arithmetic is
 * exact (hours "120.5", money "1250.00") without floats and without a decimal dependency.
 */
export function toUnits(value: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) throw new RangeError(`not a decimal string: ${JSON.stringify(value)}`);
  const fraction = m[3] ?? '';
  if (fraction.length > scale) throw new RangeError(`${value} has more than ${scale} decimals`);
  const units = BigInt(`${m[2]}${fraction.padEnd(scale, '0')}`);
  return m[1] ? -units : units;
}

/** `a / b`, rounded half up to `places` decimals, as a decimal string; both non-negative, `b` > 0. */
export function ratioString(a: bigint, b: bigint, places: number): string {
  const scale = 10n ** BigInt(places);
  const q = (2n * a * scale + b) / (2n * b);
  const whole = q / scale;
  const rest = (q % scale).toString().padStart(places, '0');
  return places === 0 ? whole.toString() : `${whole}.${rest}`;
}

/** Ceiling of a / b for a ≥ 0, b > 0. */
export const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
