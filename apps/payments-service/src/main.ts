import { runService } from '@atelier/platform';
import { loadPaymentsConfig } from './config.js';
import { buildPaymentsService } from './payments-service.js';

await runService(buildPaymentsService(loadPaymentsConfig()));
