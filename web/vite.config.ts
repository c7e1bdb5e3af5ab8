import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The dashboard is served by the gateway itself (src/api/static-web.ts), so the build is plain static files.
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `vite --config web/vite.config.ts` during development, with the gateway on :3000.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
