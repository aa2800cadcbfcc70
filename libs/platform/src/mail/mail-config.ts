import { z } from 'zod';

/** SMTP settings every service shares: `SMTP_URL` wins; otherwise host, port, user and password. */
export const mailEnv = {
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  MAIL_FROM: z.string().default('Atelier <no-reply@atelier.localhost>'),
  /** Back-off between delivery attempts while the SMTP server is unreachable. */
  MAIL_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds')
    .default('1000,5000,30000,120000,600000')
    .transform((v) => v.split(',').map(Number)),
};

export interface MailConfig {
  SMTP_URL?: string;
  SMTP_HOST: string;
  SMTP_PORT: number;
  SMTP_USER?: string;
  SMTP_PASS?: string;
  SMTP_SECURE: boolean;
  MAIL_FROM: string;
  MAIL_RETRY_DELAYS_MS: number[];
}
