// The customer portal and hosted checkout: built into dist/web at the repository root, which the API serves
// (src/http/webApp.ts). `npm run web:dev` runs Vite's dev server with /graphql (HTTP and graphql-ws) proxied to
// the API of `npm start`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.WEB_DEV_API ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: true },
    },
  },
});
