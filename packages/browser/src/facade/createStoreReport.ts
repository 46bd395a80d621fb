import type { Report } from './createReporter.js';

/**
 * Each store reports `storage_unavailable` once, but a page opens several (consent granted
 * again, a store opened only to be erased): the contract's "once" is per page.
 */
export function createStoreReport(report: Report): Report {
  let unavailableReported = false;
  return (error) => {
    if (error.code === 'storage_unavailable') {
      if (unavailableReported) return;
      unavailableReported = true;
    }
    report(error);
  };
}
