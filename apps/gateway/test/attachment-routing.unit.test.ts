import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachmentOwner, newAttachmentId, Uuid } from '@atelier/contracts';
import { matchRoute } from '../src/proxy/routing-table.js';

describe('attachment routing', () => {
  it("sends /api/attachments/:id… to the service the id names, and nowhere for an id of no service's", () => {
    const crm = newAttachmentId('crm');
    const projects = newAttachmentId('projects');
    for (const suffix of ['', '/content', '/content?inline=1']) {
      expect(matchRoute(`/api/attachments/${crm}${suffix}`, 'GET')?.upstream).toBe('crm');
      expect(matchRoute(`/api/attachments/${projects}${suffix}`, 'GET')?.upstream).toBe('projects');
    }
    expect(matchRoute(`/api/attachments/${projects}`, 'DELETE')?.upstream).toBe('projects');
    expect(matchRoute(`/api/attachments/${randomUUID()}`, 'GET')).toBeUndefined();
    expect(matchRoute('/api/attachments/not-an-id', 'GET')).toBeUndefined();
    expect(matchRoute('/api/attachments', 'GET')).toBeUndefined();
    // Uploads and lists go with their parents.
    expect(matchRoute(`/api/clients/${randomUUID()}/attachments`, 'POST')?.upstream).toBe('crm');
    expect(matchRoute(`/api/projects/${randomUUID()}/attachments`, 'POST')?.upstream).toBe('projects');
    expect(matchRoute(`/api/tasks/${randomUUID()}/attachments`, 'GET')?.upstream).toBe('projects');
  });

  it('makes ids that are valid, distinct UUIDs naming their owner', () => {
    const ids = Array.from({ length: 2000 }, () => newAttachmentId('crm'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) {
      expect(Uuid.safeParse(id).success).toBe(true);
      expect(id[14]).toBe('8');
      expect(attachmentOwner(id)).toBe('crm');
      expect(attachmentOwner(id.toUpperCase())).toBe('crm');
    }
    expect(attachmentOwner(newAttachmentId('projects'))).toBe('projects');
  });
});
