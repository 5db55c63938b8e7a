import { EngineError } from '../../errors.js';

/**
 * Script failures in Elasticsearch's ScriptException shape: `script_exception` with reason
 * `compile error` or `runtime error`, `script_stack` (the source around the position and a
 * `^---- HERE` pointer, as PainlessScriptEngine builds it), `script`, `lang`, `position`, and the
 * underlying Java exception as `caused_by`.
 */

function stackAt(src: string, offset: number): { stack: string[]; position: { offset: number; start: number; end: number } } {
  const start = Math.max(0, offset - 25);
  const end = Math.min(src.length, offset + 25);
  let snippet = src.slice(start, end);
  let pointer = ' '.repeat(offset - start);
  if (start > 0) {
    snippet = `... ${snippet}`;
    pointer = `    ${pointer}`;
  }
  if (end < src.length) snippet = `${snippet} ...`;
  return { stack: [snippet, `${pointer}^---- HERE`], position: { offset, start, end } };
}

function scriptException(reason: 'compile error' | 'runtime error', src: string, offset: number, cause: EngineError): EngineError {
  const { stack, position } = stackAt(src, offset);
  return new EngineError(400, 'script_exception', reason, { script_stack: stack, script: src, lang: 'painless', position }, cause);
}

/** A genuine syntax or type error, as Painless's compiler reports it. */
export function compileError(src: string, offset: number, detail: string, type = 'illegal_argument_exception'): EngineError {
  return scriptException('compile error', src, offset, new EngineError(400, type, detail));
}

/** Valid Painless the engine's subset does not run: a compile error naming the construct. */
export function notSupported(src: string, offset: number, what: string): EngineError {
  return compileError(
    src,
    offset,
    `${what} is not supported by the indexkit embedded engine, which runs a Painless subset: declarations (def, primitives, String, List, Map), assignments, if/else, while, do, for and for-each loops, break/continue/return, params, doc['<field>'], _score, state, lists and maps with their common methods, String methods, Math.*, casts, arithmetic, comparison, logical and ternary operators`,
  );
}

/** A failure while running the script on a document. */
export function runtimeError(src: string, offset: number, type: string, reason: string): EngineError {
  return scriptException('runtime error', src, offset, new EngineError(400, type, reason));
}
