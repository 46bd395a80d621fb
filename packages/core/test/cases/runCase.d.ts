import type { Engine, EngineOptions, RuleSet } from '../../src/index.js';

/** One step of a shared case: set the clock to `now`, then do exactly one action. */
export interface CaseStep {
  now: number;
  track?: { type: string; props?: Record<string, unknown>; t?: number };
  tick?: true;
  setContext?: Record<string, unknown>;
  identify?: [string | null] | [string | null, Record<string, unknown>];
}

/** What `members()` and the step's returned changes must be after a step. */
export interface CaseExpectation {
  members: string[];
  changes: [string, boolean, number][];
}

/** `[name, rules, steps, expected]`, one expectation per step. */
export type EngineCase = [string, RuleSet, CaseStep[], CaseExpectation[]];

export declare const CASE_ANONYMOUS_ID: string;
export declare const CASE_TIME_ZONE: string;

export declare function runCase(createEngine: (options: EngineOptions) => Engine, kase: EngineCase): { ok: boolean; diff: string };
