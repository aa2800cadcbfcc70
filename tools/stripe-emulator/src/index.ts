export { startStripeEmulator, DEFAULT_API_VERSION, DEFAULT_RETRY_DELAYS_MS, type StripeEmulator, type StripeEmulatorOptions } from './server.js';
export { signatureHeader } from './signature.js';
export type { Delivery, DeliveryAttempt, WebhookEndpoint } from './webhooks.js';
