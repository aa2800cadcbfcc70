import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The gateway imports build/handler.js and mounts it after its /api routes.
    adapter: adapter({ out: 'build' }),
  },
};

export default config;
