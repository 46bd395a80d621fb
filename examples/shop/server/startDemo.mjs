// Starts the whole demo on loopback: the shop and a collector with an embedded SQLite database
// in a temporary directory (removed on close).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from '@seglet/collector';
import { validateRules } from '@seglet/core';
import { serveShop } from './serveShop.mjs';

const shopDir = fileURLToPath(new URL('..', import.meta.url));

/** The script-tag build, from the workspace's `seglet` package (built by `pnpm run build`). */
function scriptTagBuild() {
  const file = fileURLToPath(import.meta.resolve('seglet/seglet.min.js'));
  if (!existsSync(file)) throw new Error(`seglet: ${file} is missing; run \`npx -y pnpm@10.34.8 run build\` first`);
  return file;
}

/** rules.json, checked as seglet will check it in the page: every problem with its JSON pointer. */
function checkedRules() {
  const file = join(shopDir, 'rules.json');
  const result = validateRules(JSON.parse(readFileSync(file, 'utf8')));
  const issues = result.ok ? result.warnings : result.errors;
  const text = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
  if (!result.ok) throw new Error(`seglet: ${file} is not a valid rule set:\n${text}`);
  if (issues.length > 0) console.warn(`seglet: warnings in ${file}:\n${text}`);
  return file;
}

/** Resolves with the shop and collector URLs, the collector's read token, and `close()`. */
export async function startDemo({ port = 0 } = {}) {
  const files = { '/seglet.min.js': scriptTagBuild(), '/rules.json': checkedRules() };
  let collectorUrl = '';
  const shop = await serveShop({ siteDir: join(shopDir, 'site'), files, collectorUrl: () => collectorUrl, port });
  const dir = mkdtempSync(join(tmpdir(), 'seglet-shop-'));
  const token = randomBytes(16).toString('hex');
  let collector;
  try {
    collector = await createCollector({ port: 0, db: join(dir, 'seglet.db'), allowOrigins: [shop.url], token });
    collectorUrl = await collector.listen();
  } catch (error) {
    await shop.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    shopUrl: shop.url,
    collectorUrl,
    token,
    async close() {
      await shop.close();
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
