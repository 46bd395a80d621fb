import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { exitOnClosedPipe } from '../src/closedPipe.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`write ${code}`), { code, syscall: 'write' });

describe('exitOnClosedPipe', () => {
  it('exits with status 0 when the reader has gone (EPIPE), instead of an unhandled error', () => {
    const stdout = new EventEmitter();
    const exit = vi.fn();
    exitOnClosedPipe(stdout, exit);
    stdout.emit('error', errno('EPIPE'));
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it('exits with the status the command already had: invalid input piped into head still fails', () => {
    const stderr = new EventEmitter();
    const exit = vi.fn();
    exitOnClosedPipe(stderr, exit, () => 1);
    stderr.emit('error', errno('EPIPE'));
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
  });

  it('throws any other error as before', () => {
    const stdout = new EventEmitter();
    const exit = vi.fn();
    exitOnClosedPipe(stdout, exit);
    const other = errno('EIO');
    expect(() => stdout.emit('error', other)).toThrow(other);
    expect(exit).not.toHaveBeenCalled();
  });
});
