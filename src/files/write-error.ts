// A failure to write output, as the diagnostic the command prints: a code of the catalogue, the
// path it concerns, a message from the code's template and a hint. Every writer throws this and
// nothing else (its callers print it); `asWriteError` turns an operating-system error into one.
import { basename } from 'node:path';
import { formatMessage, type MessageParams } from '../diagnostics/codes.js';
import { errorCode } from './file-system.js';

export type TemplatedWriteCode = 'MC1004' | 'MC1005' | 'MC1006' | 'MC1007';
export type WriteCode = TemplatedWriteCode | 'MC6002';

export class WriteError extends Error {
  constructor(
    readonly code: WriteCode,
    /** The file or folder it is about (absolute). */
    readonly path: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }

  static of<C extends TemplatedWriteCode>(code: C, path: string, params: MessageParams<C>, hint: string): WriteError {
    return new WriteError(code, path, formatMessage(code, params), hint);
  }
}

/** The longest file name (in bytes) that Linux, macOS and Windows file systems all accept. */
export const NAME_MAX = 255;

/** What an operating-system error while writing `path` means, as a WriteError (one already is kept). */
export function asWriteError(error: unknown, path: string, folder: string): WriteError {
  if (error instanceof WriteError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  switch (errorCode(error)) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return WriteError.of('MC1007', path, { folder, reason }, 'free some space (or raise the quota or file-size limit) and build again.');
    case 'EISDIR':
      return notAFile(path, 'a directory');
    case 'ENAMETOOLONG':
      return nameTooLong(path);
    default:
      return new WriteError('MC6002', path, `Cannot write ${path}: ${reason}.`, 'check that the folder exists and that you may write to it.');
  }
}

/** MC1004: the path is a directory (or a FIFO, a socket, ...) where a file is to be written. */
export function notAFile(path: string, kind: string): WriteError {
  return WriteError.of('MC1004', path, { path, kind }, 'move it away or write somewhere else: modelc replaces files only, never a directory or a device.');
}

/** MC1005: a file name longer than NAME_MAX bytes. */
export function nameTooLong(path: string): WriteError {
  return WriteError.of('MC1005', path, { path, bytes: Buffer.byteLength(basename(path)), limit: NAME_MAX }, 'give the model a shorter `name` (at most 252 characters, for `<name>.ts`).');
}
