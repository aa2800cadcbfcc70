import { runService } from '@atelier/platform';
import { loadCrmConfig } from './config.js';
import { buildCrmService } from './crm-service.js';

await runService(buildCrmService(loadCrmConfig()));
