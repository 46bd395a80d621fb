import { SegletError } from '@seglet/core';

/**
 * Error codes of declarative swaps, reported through `onError`, never thrown:
 * - `swap_target_missing`: a `<template data-seglet-when>` has no `data-seglet-into`, or its
 *   selector matches nothing once the document has been parsed.
 * - `swap_invalid_selector`: `data-seglet-into` is not a valid CSS selector.
 * - `unknown_segment`: a `data-seglet-show|hide|when` names an id the rules do not define.
 * - `swap_failed`: anything else that went wrong while swapping (a bug or a hostile page).
 */
export type SwapErrorCode = 'swap_target_missing' | 'swap_invalid_selector' | 'unknown_segment' | 'swap_failed';

/** Reports each distinct problem once, so a page's life of mutations cannot flood `onError`. */
export function createReporter(onError?: (error: SegletError) => void): (code: SwapErrorCode, message: string, path?: string, cause?: unknown) => void {
  const seen = new Set<string>();
  return (code, message, path = '', cause) => {
    const key = `${code}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    try {
      const issues = [{ path, message }];
      onError?.(new SegletError(code, `seglet: ${message}`, cause === undefined ? { issues } : { issues, cause }));
    } catch {
      // A throwing onError must not break the page either.
    }
  };
}

/** JSON pointer of a segment in the rule set (`~` and `/` escaped). */
export function segmentPointer(id: string): string {
  return `/segments/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
