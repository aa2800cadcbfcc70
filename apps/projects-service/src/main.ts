import { runService } from '@atelier/platform';
import { loadProjectsConfig } from './config.js';
import { buildProjectsService } from './projects-service.js';

await runService(buildProjectsService(loadProjectsConfig()));
