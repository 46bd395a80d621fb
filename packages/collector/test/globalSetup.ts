// Starts a private redis-server on a free loopback port (installing Debian's package when it is
// missing and we are root) and transpiles the CLI so tests can spawn it with plain `node`.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { TestProject } from 'vitest/node';
import { freePort } from './freePort.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    cliPath: string;
  }
}

const pkg = fileURLToPath(new URL('..', import.meta.url));


function findRedis(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function ensureRedis(): string {
  const found = findRedis();
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('redis-server not on PATH and not root: install redis-server to run the Redis tests');
  console.log('[collector tests] redis-server not found: running apt-get update && apt-get install -y redis-server');
  execFileSync('sh', ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server'], { stdio: 'inherit' });
  const installed = findRedis();
  if (!installed) throw new Error('redis-server still missing after apt-get install');
  return installed;
}

function transpileCli(): string {
  // Node 20 cannot run TypeScript; the modules are plain ESM once types are stripped.
  const out = join(pkg, 'node_modules', '.seglet-test-cli');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(join(pkg, 'src')).filter((n) => n.endsWith('.ts'))) {
    const js = ts.transpileModule(readFileSync(join(pkg, 'src', f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    writeFileSync(join(out, f.replace(/\.ts$/, '.js')), js);
  }
  return join(out, 'cli.js');
}

let redis: ChildProcess | undefined;
let dir: string | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('cliPath', transpileCli());
  const bin = ensureRedis();
  dir = mkdtempSync(join(tmpdir(), 'seglet-redis-'));
  const port = await freePort();
  redis = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${log}`)), 15_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes('Ready to accept connections')) { clearTimeout(timer); resolve(); }
    };
    redis?.stdout?.on('data', onData);
    redis?.stderr?.on('data', onData);
    redis?.once('exit', (code) => { clearTimeout(timer); reject(new Error(`redis-server exited (${code}):\n${log}`)); });
  });
  redis.stdout?.resume();
  redis.stderr?.resume();
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  return async () => {
    const r = redis;
    if (r && r.exitCode === null) {
      const exited = new Promise((resolve) => r.once('exit', resolve));
      r.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
