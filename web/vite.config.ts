import vue from '@vitejs/plugin-vue';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes `.br` and `.gz` beside every text file of the build, at the strongest levels (done once, at build), for
 * koa-send to serve to browsers that accept them: a district office's slow link gets a fraction of the bytes.
 */
function precompress(): Plugin {
  return {
    name: 'aquaflow-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const outDir = options.dir!;
      const texts = Object.keys(bundle).filter((f) => /\.(js|mjs|css|html|svg|json|map|txt)$/.test(f));
      await Promise.all(
        texts.map(async (file) => {
          const content = await fs.promises.readFile(path.join(outDir, file));
          if (content.length < 1024) return; // the headers would outweigh the saving
          const br = await brotli(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
          await fs.promises.writeFile(path.join(outDir, `${file}.br`), br);
          await fs.promises.writeFile(path.join(outDir, `${file}.gz`), await gzip(content, { level: 9 }));
        }),
      );
    },
  };
}

// The server (npm start) serves web/dist; `vite` dev server proxies the APIs to it.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue(), precompress()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/v2': 'http://localhost:8080',
    },
  },
});
