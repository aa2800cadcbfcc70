import { runService } from '@atelier/platform';
import { loadBillingConfig } from './config.js';
import { buildBillingService } from './billing-service.js';

await runService(buildBillingService(loadBillingConfig()));
