import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { chunkOf } from './chunks';
import { contractLimits } from './contract-limits';

// In `vite dev`, /api is proxied to the gateway (ATELIER_GATEWAY_URL, default http://localhost:3000)
// so that the browser still sees one origin, as in production.
const gateway = process.env.ATELIER_GATEWAY_URL ?? 'http://localhost:3000';

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [contractLimits(), sveltekit()],
  // Chunks by area are for the browser's first load; the server bundle is loaded once, as Rollup splits it.
  build: isSsrBuild ? {} : { rollupOptions: { output: { manualChunks: (id: string) => chunkOf(id) } } },
  server: {
    proxy: {
      '/api': { target: gateway, changeOrigin: false },
    },
  },
}));
