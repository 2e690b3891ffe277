import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The Sessions page, built into dist/web and served by the service at / and /admin.
export default defineConfig({
  root: __dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    // The page's CSP (src/content-security-policy.ts) allows scripts and styles from its own origin only: nothing inline.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
