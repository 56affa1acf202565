import { resolve } from "node:path";
import { defineConfig } from "vite";

/**
 * Builds the browser code: the admin dashboard (served at `/`) and the demo Web App (`/app/`).
 * The hub serves `dist/client`; `npm run dev:client` proxies API and socket calls to a hub on 3000.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, "client"),
  base: "/",
  build: {
    outDir: resolve(import.meta.dirname, "dist/client"),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        dashboard: resolve(import.meta.dirname, "client/index.html"),
        app: resolve(import.meta.dirname, "client/app/index.html"),
      },
    },
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:3000",
      "/socket.io": { target: "ws://127.0.0.1:3000", ws: true },
    },
  },
});
