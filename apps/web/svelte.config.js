import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The gateway imports build/handler.js and mounts it after its /api routes.
    adapter: adapter({ out: 'build' }),
    // Split by area (chunks.ts): one bundle for the whole app outgrew the first-load budget.
    output: { bundleStrategy: 'split' },
    // SvelteKit sends this as a header on every page, with a fresh nonce for its own inline
    // start-up script, so no inline script runs without one. Styles may be inline (Svelte sets
    // style attributes); images may be data: URIs (the favicon, uploaded logos).
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
