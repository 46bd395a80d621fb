import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Vitest global setup: the browser package's script makes sure /usr/bin/chromium is there. */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../../packages/browser/scripts/ensure-chromium.sh', import.meta.url));
  execFileSync('sh', [script], { stdio: 'inherit' });
}
