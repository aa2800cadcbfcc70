import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { SNIFF_BYTES } from './sniff.js';

/** The content was larger than the caller allowed; nothing of it is kept. */
export class BlobTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the content is larger than ${maxBytes} bytes`);
    this.name = 'BlobTooLarge';
  }
}

/**
 * Passes bytes through while counting them, hashing them (SHA-256) and keeping the first
 * SNIFF_BYTES for the type check; past `maxBytes` it fails with `BlobTooLarge`, so an upload over
 * the limit stops at the limit rather than after it was stored whole.
 */
export class BlobMeter extends Transform {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly headParts: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new BlobTooLarge(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    if (this.headLength < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - this.headLength);
      this.headParts.push(Buffer.from(part));
      this.headLength += part.length;
    }
    done(null, chunk);
  }

  get head(): Buffer {
    return Buffer.concat(this.headParts, this.headLength);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
