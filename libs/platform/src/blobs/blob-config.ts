import { z } from 'zod';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Where services keep blobs (attachments, stored PDFs). `postgres` (the default) needs nothing
 * beyond the service's database; `s3` talks to any S3-compatible store through the AWS SDK
 * (a cloud bucket, MinIO, …) at `S3_ENDPOINT` if set, else AWS itself in `S3_REGION`. The blob
 * rows (agency, size, SHA-256) stay in Postgres either way, under the tenant's RLS.
 */
export const blobEnv = {
  BLOB_STORE: z.enum(['postgres', 's3']).default('postgres'),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most local stores need; default: on when an endpoint is set. */
  S3_FORCE_PATH_STYLE: flag.optional(),
  /** Prepended to every object key (`<prefix><service>/<agency>/<blob>`), so services or deployments can share a bucket. */
  S3_KEY_PREFIX: z.string().default(''),
  /** Largest attachment, in bytes (50 MB). */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** What one agency's attachments may take in one service, in bytes (5 GB). */
  ATTACHMENT_QUOTA_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024 * 1024),
};

export interface BlobConfig {
  BLOB_STORE: 'postgres' | 's3';
  S3_ENDPOINT?: string;
  S3_REGION: string;
  S3_BUCKET?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  S3_FORCE_PATH_STYLE?: boolean;
  S3_KEY_PREFIX: string;
}

/** The configuration's problems (reported with every other bad variable at start). */
export function blobConfigProblems(config: BlobConfig): string[] {
  if (config.BLOB_STORE !== 's3') return [];
  const problems: string[] = [];
  if (!config.S3_BUCKET) problems.push('S3_BUCKET: is required when BLOB_STORE=s3');
  if (!!config.S3_ACCESS_KEY_ID !== !!config.S3_SECRET_ACCESS_KEY) problems.push('S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither (neither: the SDK finds credentials itself)');
  return problems;
}
