import type { RateCard, RateScope } from '@atelier/contracts';

/** Most specific first: the order in which a rate is looked for. */
export const scopeLabels = {
  project_member: 'A person on a project',
  project: 'A project',
  client: 'A client',
  member: 'A person',
  agency: 'The whole agency',
} as const satisfies Record<RateScope, string>;

export const scopes = Object.keys(scopeLabels) as RateScope[];

/** Which ids a scope names: the form shows those pickers. Typed like the contract's table. */
export const scopeTargets = {
  agency: [],
  member: ['userId'],
  client: ['clientId'],
  project: ['projectId'],
  project_member: ['projectId', 'userId'],
} as const satisfies Record<RateScope, readonly ('clientId' | 'projectId' | 'userId')[]>;

export const needs = (scope: RateScope, target: 'clientId' | 'projectId' | 'userId'): boolean => (scopeTargets[scope] as readonly string[]).includes(target);

/** "Website redesign · Ada Lovelace" for a card, from names looked up by id. */
export function appliesTo(card: RateCard, names: { client(id: string): string; project(id: string): string; member(id: string): string }): string {
  switch (card.scope) {
    case 'agency':
      return 'Everyone, every project';
    case 'member':
      return card.userId ? names.member(card.userId) : '—';
    case 'client':
      return card.clientId ? names.client(card.clientId) : '—';
    case 'project':
      return card.projectId ? names.project(card.projectId) : '—';
    case 'project_member':
      return `${card.projectId ? names.project(card.projectId) : '—'} · ${card.userId ? names.member(card.userId) : '—'}`;
  }
}
