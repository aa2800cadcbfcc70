/** Field messages from the API (zod's words or the services' fragments) as sentences naming the field. */

type Rule = [RegExp, (label: string, m: RegExpMatchArray) => string];

const fieldRules: Rule[] = [
  [/^Too small: expected string to have >=1 characters?$/i, (l) => `${l} is required`],
  [/^Too big: expected string to have <=(\d+) characters?$/i, (l, m) => `${l} can be at most ${m[1]} characters`],
  [/^Too small: expected string to have >=(\d+) characters?$/i, (l, m) => `${l} must be at least ${m[1]} characters`],
  [/^Too big: expected (?:number|int) to be <=?(\d+)$/i, (l, m) => `${l} can be at most ${m[1]}`],
  [/^Too small: expected (?:number|int) to be >=?(-?\d+)$/i, (l, m) => `${l} must be at least ${m[1]}`],
  [/^Too big: expected array to have <=(\d+) items?$/i, (l, m) => `${l} can have at most ${m[1]} items`],
  [/^Too small: expected array to have >=1 items?$/i, (l) => `Choose at least one ${l.toLowerCase()}`],
  [/^Invalid email address$/i, (l) => `${l} must be an email address, such as name@example.com`],
  [/^Invalid URL$/i, (l) => `${l} must be a web address starting with https://`],
  [/^Invalid UUID$/i, (l) => `${l} is not one we know`],
  [/^Invalid input: expected \w+, received undefined$/i, (l) => `${l} is required`],
  [/^Invalid input: expected (\w+), received \w+$/i, (l) => `${l} is not valid`],
  [/^Invalid option/i, (l) => `Choose one of the options for ${l}`],
  [/^Unrecognized keys?/i, (l) => `${l} is not something this form can change`],
  [/^Invalid string: must match pattern/i, (l) => `${l} is not in the expected format`],
  [/^must be a phone number: it has no digits$/i, (l) => `${l} needs digits, for example +44 20 7946 0958`],
  [/^must be a phone number: only digits/i, (l) => `${l} can only have digits, spaces, + ( ) - . / and an extension such as x12`],
  [/^must be a phone number: at least (\d+) digits$/i, (l, m) => `${l} needs at least ${m[1]} digits`],
  [/^must be a phone number: at most (\d+) digits$/i, (l, m) => `${l} can have at most ${m[1]} digits`],
  [/^must be a 2-letter ISO 3166-1 code$/i, (l) => `${l} must be a country from the list`],
  [/^must be a 3-letter ISO 4217 code$/i, (l) => `${l} must be a currency from the list`],
  [/^must be a decimal string of hours/i, (l) => `${l} must be a number of hours with at most 2 decimals, such as 12.5`],
  [/^must be a decimal string such as/i, (l) => `${l} must be an amount such as 1250.00`],
  [/^must be on or after startDate$/i, (l) => `${l} must be on or after the start date`],
];

/**
 * A field's error as a sentence naming the field by its label: "Name can be at most 200
 * characters", "Name is required". Fragments ("is required") get the label in front; a full
 * sentence the API wrote for people stays as it is.
 */
export function fieldMessage(label: string, message: string): string {
  const text = message.trim();
  for (const [pattern, sentence] of fieldRules) {
    const m = text.match(pattern);
    if (m) return sentence(label, m);
  }
  const first = text.charAt(0);
  if (first && first === first.toLowerCase() && first !== first.toUpperCase()) return `${label} ${text}`;
  return text;
}
