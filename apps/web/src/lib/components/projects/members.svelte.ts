import type { ListResponse, Member } from '@atelier/contracts';
import { useQuery } from '$lib/data/query.svelte';

/** The agency's members (assignees, people on time entries), with names by id. Call while a component initialises. */
export function useMembers() {
  const query = useQuery<ListResponse<Member>>(() => ({ path: '/api/auth/members' }));
  const byId = $derived(Object.fromEntries((query.data?.data ?? []).map((m) => [m.userId, m])) as Record<string, Member | undefined>);
  return {
    get list(): Member[] {
      return query.data?.data ?? [];
    },
    get loaded(): boolean {
      return query.data !== null;
    },
    get message(): string | null {
      return query.message;
    },
    /** The member's name; "Former member" for someone no longer in the agency. */
    name(userId: string | null): string {
      if (!userId) return 'Nobody';
      return byId[userId]?.name ?? (query.data ? 'Former member' : '…');
    },
  };
}

export type Members = ReturnType<typeof useMembers>;
