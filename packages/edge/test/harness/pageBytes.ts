import { createHash } from 'node:crypto';

/** The smallest page the edge personalises: one element shown for `returning`. */
export const SEGLET_PAGE = '<p data-seglet-show="returning" hidden>x</p>';

/** Hex SHA-256 of a body: compares megabytes of bytes without printing them on failure. */
export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
