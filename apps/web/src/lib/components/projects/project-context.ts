import { getContext, setContext } from 'svelte';
import type { Project } from '@atelier/contracts';

const KEY = Symbol('atelier.project');

/** The project a /projects/[id] page is about, loaded once by its layout for every tab. */
export interface ProjectContext {
  readonly project: Project;
  /** Replaces the project after a save elsewhere on the page. */
  set(project: Project): void;
}

export const provideProject = (ctx: ProjectContext): void => void setContext(KEY, ctx);

export function useProject(): ProjectContext {
  const ctx = getContext<ProjectContext | undefined>(KEY);
  if (!ctx) throw new Error('useProject() must be called inside a project page');
  return ctx;
}
