import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { exitOnWriteError } from '../src/exitOnWriteError.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`write ${code}`), { code, syscall: 'write' });

describe('exitOnWriteError', () => {
  it('exits with status 0 when the reader has gone (EPIPE), instead of an unhandled error', () => {
    const stdout = new EventEmitter();
    const exit = vi.fn();
    exitOnWriteError(stdout, exit);
    stdout.emit('error', errno('EPIPE'));
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it('exits with the status the command already had: invalid input piped into head still fails', () => {
    const stderr = new EventEmitter();
    const exit = vi.fn();
    exitOnWriteError(stderr, exit, () => 1);
    stderr.emit('error', errno('EPIPE'));
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
  });

  it('says in one line that any other write failed, and never ends with 0', () => {
    for (const [status, want] of [[0, 1], [1, 1], [2, 2]] as const) {
      const stdout = new EventEmitter();
      const exit = vi.fn();
      const said: string[] = [];
      exitOnWriteError(stdout, exit, () => status, (text) => said.push(text));
      stdout.emit('error', errno('ENOSPC'));
      expect(exit).toHaveBeenCalledExactlyOnceWith(want);
      expect(said).toEqual(['seglet: cannot write the output: write ENOSPC\n']);
    }
  });

  it('still exits when there is nowhere to say it, or saying it fails', () => {
    const stderr = new EventEmitter();
    const exit = vi.fn();
    exitOnWriteError(stderr, exit);
    stderr.emit('error', errno('EIO'));
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
    const stdout = new EventEmitter();
    const again = vi.fn();
    exitOnWriteError(stdout, again, () => 0, () => { throw new Error('EIO'); });
    stdout.emit('error', errno('EIO'));
    expect(again).toHaveBeenCalledExactlyOnceWith(1);
  });
});
