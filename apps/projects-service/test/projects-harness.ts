import { fileURLToPath } from 'node:url';
import { createTestDatabase, testEnv, testNamespace, type TestDatabase } from '@atelier/platform/testing';
import type { Service } from '@atelier/platform';
import { loadProjectsConfig, type ProjectsConfig } from '../src/config.js';
import { buildProjectsService } from '../src/projects-service.js';

export const projectsMigrations = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface ProjectsHarness {
  db: TestDatabase;
  service: Service<ProjectsConfig>;
  url: string;
  namespace: string;
}

export async function startProjects(options: { db?: TestDatabase; namespace?: string } = {}): Promise<ProjectsHarness> {
  const db = options.db ?? (await createTestDatabase({ projects: projectsMigrations }));
  const namespace = options.namespace ?? testNamespace();
  const service = buildProjectsService(loadProjectsConfig(testEnv('projects', db, namespace)));
  const server = await service.start();
  return { db, service, url: server.url, namespace };
}
