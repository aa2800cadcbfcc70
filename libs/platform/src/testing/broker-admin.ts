import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Makes the broker itself close a client's connection, found by its client-provided name (what
 * BusConnection.connectionName sets), the way an operator or a broker restart would. Uses the
 * management HTTP API when RABBITMQ_MANAGEMENT_URL names it (the testcontainers broker has one),
 * and `rabbitmqctl` on the broker's host otherwise. Throws if the connection is not there.
 */
export async function closeBrokerConnection(connectionName: string, reason = 'closed by a test'): Promise<void> {
  const management = process.env.RABBITMQ_MANAGEMENT_URL;
  if (management) await closeThroughManagementApi(new URL(management), connectionName, reason);
  else await closeThroughRabbitmqctl(connectionName, reason);
}

async function closeThroughManagementApi(base: URL, connectionName: string, reason: string): Promise<void> {
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(base.username || 'guest')}:${decodeURIComponent(base.password || 'guest')}`).toString('base64')}`;
  const origin = `${base.protocol}//${base.host}`;
  const res = await fetch(`${origin}/api/connections?columns=name,client_properties`, { headers: { authorization: auth } });
  if (!res.ok) throw new Error(`management API: GET /api/connections answered ${res.status}`);
  const connections = (await res.json()) as { name: string; client_properties?: { connection_name?: string } }[];
  const target = connections.find((c) => c.client_properties?.connection_name === connectionName);
  if (!target) throw new Error(`the broker has no connection named ${connectionName}`);
  const del = await fetch(`${origin}/api/connections/${encodeURIComponent(target.name)}`, { method: 'DELETE', headers: { authorization: auth, 'x-reason': reason } });
  if (!del.ok) throw new Error(`management API: DELETE connection answered ${del.status}`);
}

async function closeThroughRabbitmqctl(connectionName: string, reason: string): Promise<void> {
  // One line per connection: its Erlang pid, a tab, its client properties as an Erlang term.
  const { stdout } = await run('rabbitmqctl', ['list_connections', '-q', '--no-table-headers', 'pid', 'client_properties'], { timeout: 30_000 });
  const line = stdout.split('\n').find((l) => l.includes(`{"connection_name","${connectionName}"}`));
  const pid = line?.split('\t')[0]?.trim();
  if (!pid) throw new Error(`the broker has no connection named ${connectionName}`);
  await run('rabbitmqctl', ['close_connection', pid, reason], { timeout: 30_000 });
}
