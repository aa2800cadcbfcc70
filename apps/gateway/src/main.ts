import { createLogger, shutdownOnSignals } from '@atelier/platform';
import { loadGatewayConfig } from './config.js';
import { buildGateway } from './gateway.js';

const config = loadGatewayConfig();
const logger = createLogger('gateway', config.LOG_LEVEL);
const gateway = await buildGateway(config, logger);
try {
  await gateway.start();
} catch (err) {
  logger.fatal({ err }, 'failed to start');
  process.exit(1);
}
shutdownOnSignals(logger, [{ name: 'gateway', close: () => gateway.stop() }]);
