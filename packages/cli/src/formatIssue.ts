import type { Issue } from '@seglet/core';

/**
 * One validation problem as a line: severity, JSON pointer, message. The root pointer is the
 * empty string, which would print as nothing, so it is shown as `(root)`.
 */
export function formatIssue(severity: 'error' | 'warning', issue: Issue): string {
  return `${severity} ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`;
}
