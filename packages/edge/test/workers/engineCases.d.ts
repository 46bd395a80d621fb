// Types of packages/core/test/cases/* as the cases worker uses them. (That folder's own runCase.d.ts
// pulls in the core's sources, which are checked by the root tsconfig, not this one.)
declare module '#engine-cases/runCase.js' {
  import type { Engine, EngineOptions, RuleSet } from '@seglet/core';
  export type EngineCase = [string, RuleSet, unknown[], unknown[]];
  export function runCase(createEngine: (options: EngineOptions) => Engine, kase: EngineCase): { ok: boolean; diff: string };
}

declare module '#engine-cases/engine-cases.json' {
  const cases: unknown[];
  export default cases;
}
