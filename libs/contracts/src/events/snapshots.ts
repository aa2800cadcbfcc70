import type { EventEnvelope } from '../envelope.js';

/**
 * One entity's state as an event carries it (events.md › Snapshots with versions): the whole
 * entity after the change, or a tombstone, with the version that grows with every change.
 */
export type EntitySnapshot<Live, Gone = Live> =
  | { id: string; version: number; deleted: false; data: Live }
  | { id: string; version: number; deleted: true; data: Gone };

/**
 * Every snapshot one event carries: one for a single-entity event, many for a bulk event
 * (events.md › Bulk work), none for an event about nothing the replica keeps. Extractors parse
 * with the contract's schema, so a malformed payload throws.
 */
export type SnapshotExtractor<Live, Gone = Live> = (event: EventEnvelope) => EntitySnapshot<Live, Gone>[];

/** Per event name, how to read its snapshots: what a replica consumer is configured with. */
export type SnapshotExtractors<Live, Gone = Live> = Record<string, SnapshotExtractor<Live, Gone>>;
