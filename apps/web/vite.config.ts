import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In `vite dev`, /api is proxied to the gateway (ATELIER_GATEWAY_URL, default http://localhost:3000)
// so that the browser still sees one origin, as in production.
const gateway = process.env.ATELIER_GATEWAY_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/api': { target: gateway, changeOrigin: false },
    },
  },
});
