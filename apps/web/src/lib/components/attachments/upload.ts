import type { Attachment } from '@atelier/contracts';
import { ApiError } from '$lib/api';

/**
 * Uploads one file as multipart `file` with progress (fetch reports none for request bodies, so
 * XMLHttpRequest). Same origin: the browser sends the Origin the gateway's CSRF check wants.
 */
export function uploadFile(path: string, file: File, onprogress: (fraction: number) => void, signal?: AbortSignal): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onprogress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as Record<string, unknown> | null;
      if (xhr.status === 201 && body) return resolve(body as unknown as Attachment);
      reject(
        new ApiError({
          type: typeof body?.type === 'string' ? body.type : 'about:blank',
          title: typeof body?.title === 'string' ? body.title : `HTTP ${xhr.status}`,
          status: xhr.status,
          ...(typeof body?.detail === 'string' ? { detail: body.detail } : {}),
          ...(typeof body?.code === 'string' ? { code: body.code } : {}),
          ...(Array.isArray(body?.errors) ? { errors: body.errors as { path: string; message: string }[] } : {}),
        }),
      );
    };
    xhr.onerror = () => reject(new ApiError({ type: 'about:blank', title: 'Network error', status: 0 }));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** "1.2 MB", "340 KB", "12 bytes". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** What a person calls the type: "PDF", "PNG image", "Text", or the file's extension. */
export function describeType(contentType: string, fileName: string): string {
  const known: Record<string, string> = {
    'application/pdf': 'PDF',
    'image/png': 'PNG image',
    'image/jpeg': 'JPEG image',
    'image/gif': 'GIF image',
    'image/webp': 'WebP image',
    'image/svg+xml': 'SVG image',
    'text/plain': 'Text',
    'text/html': 'HTML',
    'application/zip': 'ZIP archive',
  };
  if (known[contentType]) return known[contentType];
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1];
  return ext ? `${ext.toUpperCase()} file` : 'File';
}
