// `npm run resync -- projects [--agency <uuid>]`: republishes the current projects, tasks and time entries of one agency (or all) through the outbox.
import { runResyncCommand } from '@atelier/platform';
import { selectAgencyIds } from './resync/resync-repository.js';
import { projectsResyncSources } from './resync/resync-service.js';

await runResyncCommand({ service: 'projects', sources: projectsResyncSources, agencies: selectAgencyIds });
