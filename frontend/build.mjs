// Builds the lite front end (frontend/src) into the app template's static folder, reproducibly from
// package-lock.json: `npm run build-frontend` (or `make build-frontend`). The files are named after
// their content (lite.<hash>.js, lite.<hash>.css), so a browser may keep them for a year; the
// manifest beside them names them and records a SHA-256 of everything they are built from, which
// tests/test_frontend_bundle.py recomputes to catch a bundle older than its sources.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const OUT = join(ROOT, 'backpain_edu/app/share/jupyter/voila/templates/backpain/static');
const MANIFEST = join(OUT, 'lite-manifest.json');

/** The files the bundle comes from, as repository paths, sorted: the sources, this script, the lock file. */
function sources() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'frontend'));
  found.push('package.json', 'package-lock.json');
  return found.sort();
}

/** SHA-256 over each source's path and bytes (tests/test_frontend_bundle.py computes the same). */
function sourcesHash(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    const bytes = readFileSync(join(ROOT, file));
    hash.update(`${file}\n${bytes.length}\n`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

const result = await esbuild.build({
  entryPoints: { lite: join(ROOT, 'frontend/src/index.ts') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  platform: 'browser',
  legalComments: 'none',
  write: false,
  outdir: OUT,
  entryNames: '[name].[hash]',
  // The widgets' fonts and pictures (Font Awesome's are not used) stay out of the page.
  loader: { '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.eot': 'empty', '.svg': 'dataurl', '.png': 'dataurl', '.gif': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"' },
  // ipywidgets' label sanitizer through the browser's parser (frontend/src/sanitize.ts says why).
  alias: { 'sanitize-html': './frontend/src/sanitize.ts' },
  absWorkingDir: ROOT,
  logLevel: 'warning'
});

mkdirSync(OUT, { recursive: true });
for (const name of readdirSync(OUT)) {
  if (/^lite\.[0-9A-Za-z]+\.(js|css)$/.test(name)) rmSync(join(OUT, name));
}
const files = {};
for (const file of result.outputFiles) {
  // esbuild's hash is base32 of the content; the name takes the file's own SHA-256 instead, hex, so the
  // server's "content-hashed" rule (16+ hex digits) keeps it for a year.
  const kind = file.path.endsWith('.css') ? 'css' : 'js';
  const name = `lite.${createHash('sha256').update(file.contents).digest('hex').slice(0, 20)}.${kind}`;
  writeFileSync(join(OUT, name), file.contents);
  files[kind] = name;
}
const list = sources();
writeFileSync(
  MANIFEST,
  JSON.stringify({ js: files.js, css: files.css, sources: list, sources_sha256: sourcesHash(list) }, null, 2) + '\n'
);
console.log(`built ${files.js} and ${files.css}`);
