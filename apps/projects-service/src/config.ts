import { loadConfig, serviceEnv } from '@atelier/platform';

export const ProjectsEnv = serviceEnv('projects', { port: 4002 });
export type ProjectsConfig = ReturnType<typeof loadProjectsConfig>;
export const loadProjectsConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ProjectsEnv, env);
