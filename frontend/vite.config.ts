/// <reference types="vitest/config" />
// Vite builds the studio into ../static/app/ with fixed entry names (studio.js, studio.css)
// because the Django template references them directly, without a manifest.
// `npm run dev` serves index.html with /api and /ws proxied to Django (DJANGO_URL).
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const outDir = fileURLToPath(new URL("../static/app", import.meta.url));
const django = process.env.DJANGO_URL ?? "http://127.0.0.1:8000";

export default defineConfig(({ command }) => ({
  plugins: [react()],
  base: command === "build" ? "/static/app/" : "/",
  server: {
    proxy: {
      "/api": { target: django, changeOrigin: true },
      "/ws": { target: django.replace(/^http/, "ws"), ws: true, changeOrigin: true },
    },
  },
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    cssCodeSplit: false,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      input: { studio: fileURLToPath(new URL("./src/main.tsx", import.meta.url)) },
      output: {
        entryFileNames: "studio.js",
        chunkFileNames: "chunks/[name]-[hash].js",
        assetFileNames: (asset) =>
          asset.names.some((n) => n.endsWith(".css")) ? "studio.css" : "assets/[name]-[hash][extname]",
      },
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
}));
