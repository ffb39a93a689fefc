import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Middleware } from 'koa';

/**
 * The local trial page (本地体验): `GET /` and its assets, for local mode only (main mounts it
 * when no Feishu credentials are set). The browser code under client/ is bundled once, in
 * memory, with esbuild the first time the page is asked for, so `npm start` needs no build step
 * and the page works offline; VChart's own browser bundle is served from node_modules.
 */
export function localPageRoutes(): Middleware {
  const clientDir = findClientDir();
  let bundle: Promise<string> | undefined;
  const require = createRequire(import.meta.url);

  const assets: Record<string, { type: string; body: () => Promise<string | Buffer> }> = {
    '/': { type: 'text/html; charset=utf-8', body: () => Promise.resolve(INDEX_HTML) },
    '/app.js': {
      type: 'text/javascript; charset=utf-8',
      body: () => {
        // A failed build is not cached: fix the source and reload.
        bundle ??= bundleClient(clientDir).catch((error: unknown) => {
          bundle = undefined;
          throw error;
        });
        return bundle;
      },
    },
    '/app.css': { type: 'text/css; charset=utf-8', body: () => readFile(`${clientDir}styles.css`) },
    '/vendor/vchart.js': {
      type: 'text/javascript; charset=utf-8',
      body: () => readFile(require.resolve('@visactor/vchart/build/index.min.js')),
    },
  };

  return async (ctx, next) => {
    const asset = ctx.method === 'GET' || ctx.method === 'HEAD' ? assets[ctx.path] : undefined;
    if (!asset) {
      await next();
      return;
    }
    ctx.type = asset.type;
    // The page is rebuilt per process; the vendor bundle changes only with node_modules.
    ctx.set('cache-control', ctx.path.startsWith('/vendor/') ? 'public, max-age=3600' : 'no-cache');
    ctx.body = await asset.body();
  };
}

/** client/ next to this file when run from source; from dist/, the source tree's copy. */
function findClientDir(): string {
  const candidates = ['./client/', '../../../../src/local/web/client/'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(`${dir}main.tsx`)) ?? (candidates[0] as string);
}

async function bundleClient(clientDir: string): Promise<string> {
  const result = await build({
    entryPoints: [`${clientDir}main.tsx`],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: `${clientDir}tsconfig.json`,
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no bundle for the local page');
  return file.text;
}

const INDEX_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>河湖长助手 · 本地体验</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<div id="app"></div>
<noscript>本地体验页需要启用 JavaScript。</noscript>
<script type="module" src="/app.js"></script>
</body>
</html>
`;
