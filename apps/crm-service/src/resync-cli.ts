// `npm run resync -- crm [--agency <uuid>]`: republishes the current clients and contacts of one agency (or all) through the outbox.
import { runResyncCommand } from '@atelier/platform';
import { selectAgencyIds } from './resync/resync-repository.js';
import { crmResyncSources } from './resync/resync-service.js';

await runResyncCommand({ service: 'crm', sources: crmResyncSources, agencies: selectAgencyIds });
