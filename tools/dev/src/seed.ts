export const DEMO = {
  agencyName: 'Atelier Demo Studio',
  name: 'Dana Demo',
  email: 'demo@atelier.test',
  password: 'atelier-demo-2026',
};

/** What the demo agency's invoices print as their sender. */
const agencyDetails = {
  timezone: 'Europe/Berlin',
  email: 'studio@atelier-demo.example',
  phone: '+49 30 1234567',
  website: 'https://atelier-demo.example',
  address: 'Atelier Demo Studio GmbH\nTorstraße 1\n10119 Berlin',
  taxId: 'DE123456789',
  country: 'DE',
};

const sampleClients = [
  { name: 'ACME Corporation', email: 'billing@acme.example', phone: '+1 415 555 0100', website: 'https://acme.example', currency: 'USD', address: { line1: '500 Market St', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' } },
  { name: 'Blue Fjord AS', email: 'post@bluefjord.example', currency: 'NOK', address: { line1: 'Karl Johans gate 1', city: 'Oslo', postalCode: '0154', country: 'NO' } },
  { name: 'Café Lumière', email: 'bonjour@lumiere.example', currency: 'EUR', address: { line1: '12 Rue de Rivoli', city: 'Paris', postalCode: '75004', country: 'FR' } },
  { name: 'Greenleaf Organics', email: 'hello@greenleaf.example', currency: 'GBP', address: { city: 'Bristol', country: 'GB' } },
  { name: 'Northwind Traders', email: 'accounts@northwind.example', currency: 'USD', isActive: false },
];

/** Creates the demo agency through the public API, unless its owner can already log in. */
export async function seedDemo(baseUrl: string, origin = baseUrl): Promise<'created' | 'exists'> {
  const headers = { 'content-type': 'application/json', origin };
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ email: DEMO.email, password: DEMO.password }) });
  if (login.ok) return 'exists';
  const signup = await fetch(`${baseUrl}/api/auth/signup`, { method: 'POST', headers, body: JSON.stringify(DEMO) });
  if (signup.status !== 201) throw new Error(`demo signup failed: ${signup.status} ${await signup.text()}`);
  const cookie = signup.headers.get('set-cookie')?.split(';')[0] ?? '';
  const agency = await fetch(`${baseUrl}/api/agency`, { method: 'PATCH', headers: { ...headers, cookie }, body: JSON.stringify(agencyDetails) });
  if (agency.status !== 200) throw new Error(`demo agency details failed: ${agency.status} ${await agency.text()}`);
  for (const client of sampleClients) {
    const res = await fetch(`${baseUrl}/api/clients`, { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify(client) });
    if (res.status !== 201) throw new Error(`demo client failed: ${res.status} ${await res.text()}`);
  }
  return 'created';
}
