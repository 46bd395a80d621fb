// Runs the shared engine cases inside workerd against @seglet/core's build.
import { createEngine } from '@seglet/core';
// '#engine-cases/*' is packages/core/test/cases/* for rollup; for tsc it is typed by ./engineCases.d.ts.
import { runCase } from '#engine-cases/runCase.js';
import type { EngineCase } from '#engine-cases/runCase.js';
import cases from '#engine-cases/engine-cases.json';

export default {
  fetch(): Response {
    const results = (cases as unknown as EngineCase[]).map((kase) => {
      try {
        return { name: kase[0], ...runCase(createEngine, kase) };
      } catch (error) {
        return { name: kase[0], ok: false, diff: `threw: ${String(error)}` };
      }
    });
    return Response.json({ count: results.length, results });
  },
};
