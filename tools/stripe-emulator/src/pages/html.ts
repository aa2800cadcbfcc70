const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A tagged template whose interpolations are escaped unless already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const text = Array.isArray(v) ? v.map((x) => (x instanceof Html ? x.value : escapeHtml(x))).join('') : v instanceof Html ? v.value : escapeHtml(v);
    out += text + strings[i + 1]!;
  });
  return new Html(out);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f6f8fa; line-height: 1.4; }
  main { max-width: 64rem; margin: 2rem auto; padding: 0 1rem; }
  .card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 1.5rem; margin-bottom: 1.5rem; }
  .narrow { max-width: 30rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { font: inherit; padding: .5rem; width: 100%; box-sizing: border-box; border: 1px solid #6e7781; border-radius: 4px; }
  input[aria-invalid="true"] { border-color: #b3261e; }
  .hint { color: #57606a; font-size: .9rem; margin: .25rem 0 0; }
  button, .button { font: inherit; margin-top: 1.25rem; padding: .6rem 1.2rem; border-radius: 4px; border: 0; background: #4f46e5; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
  .secondary { background: #fff; color: #1a1a1a; border: 1px solid #6e7781; }
  :focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
  .error { color: #b3261e; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; }
  th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
  code { font-size: .85rem; }
  .badge { display: inline-block; padding: 0 .4rem; border-radius: 4px; background: #eaeef2; }
`;

export function page(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body.value}
</main>
</body>
</html>`;
}
