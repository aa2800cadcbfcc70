import type { Sql } from '@atelier/platform';

export interface ClientRef {
  name: string;
  email: string | null;
}

/** The file's header: exactly the importer's field names, so the suggested mapping maps every column. */
export const CONTACT_COLUMNS = ['clientName', 'clientEmail', 'firstName', 'lastName', 'email', 'phone', 'title'] as const;

const FIRST = ['Anna', 'Ben', 'Chloé', 'David', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kari', 'Liam', 'Maja', 'Noah', 'Olivia', 'Pål', 'Quinn', 'Rosa', 'Sven', 'Tara'];
const LAST = ['Andersen', 'Berg', 'Costa', 'Dubois', 'Evans', 'Fischer', 'García', 'Hansen', 'Ivanova', 'Jensen', 'Kowalski', 'Larsen', "O'Brien", 'Müller', 'Nakamura', 'Smith'];
// Some with a comma, so the file has quoted fields too.
const TITLES = ['CEO', 'CFO', 'Office Manager', 'Head of Marketing', 'Buyer', 'Project Lead', 'Sales, EMEA', 'Accounts Payable', 'Designer, Brand', 'CTO'];

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * `rows` contacts spread evenly over `clients` (each linked by client name and email), every one
 * new (its email is unique; `tag` keeps two files of one run apart), as the UTF-8 CSV a spreadsheet would save.
 */
export function contactsCsv(clients: ClientRef[], rows: number, tag = 'bench'): Buffer {
  if (clients.length === 0) throw new Error('no clients to link the contacts to');
  const lines: string[] = [CONTACT_COLUMNS.join(',')];
  for (let i = 0; i < rows; i++) {
    const client = clients[i % clients.length]!;
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const email = `${first}.${last}.${i}@${tag}.contacts.example`.toLowerCase().replace(/[^a-z0-9.@+-]/g, '');
    const phone = `+44 7700 9${String(i % 100_000).padStart(5, '0')}`;
    const title = TITLES[i % TITLES.length]!;
    lines.push([client.name, client.email ?? '', first, last, email, phone, title].map(quote).join(','));
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/** `count` random live clients of the agency whose name is unique there (a shared name would make the link ambiguous). */
export async function pickClients(sql: Sql, agencyId: string, count: number): Promise<ClientRef[]> {
  return sql<ClientRef[]>`
    select name, min(email) as email from crm.clients
    where agency_id = ${agencyId} and deleted_at is null
    group by name having count(*) = 1
    order by random() limit ${count}`;
}
