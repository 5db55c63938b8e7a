import type { IndexView, SegmentView } from '../../contract.js';
import { EngineError, parsingError, unsupported } from '../../errors.js';
import { JsonDouble, javaFloat } from '../float-format.js';
import { isObject } from '../parse-util.js';
import type { JavaValue } from './java-values.js';
import { toJson } from './java-values.js';
import type { CompiledScript } from './painless.js';
import { compileScript, parseScript } from './script-spec.js';
import type { ScriptPolicy, ScriptSpec } from './script-spec.js';
import { segmentEnv } from './script-scorers.js';

/**
 * `script_fields` (SearchSourceBuilder.ScriptField, ScriptFieldsPhase): one value per hit from a
 * field script (no `_score`), limited by index.max_script_fields (default 32).
 */
export interface ScriptFieldSpec {
  name: string;
  script: ScriptSpec;
  ignoreFailure: boolean;
}

export function parseScriptFields(v: unknown): ScriptFieldSpec[] {
  if (!isObject(v)) throw parsingError('Expected [START_OBJECT] in [script_fields] but found a value');
  return Object.entries(v).map(([name, body]) => {
    if (!isObject(body)) throw parsingError(`Expected [START_OBJECT] in [${name}] but found a value`);
    let script: ScriptSpec | undefined;
    let ignoreFailure = false;
    for (const [key, value] of Object.entries(body)) {
      if (key === 'script') script = parseScript(value, 'script_fields');
      else if (key === 'ignore_failure' && typeof value === 'boolean') ignoreFailure = value;
      else throw parsingError(`Unknown key for a ${isObject(value) ? 'START_OBJECT' : 'VALUE'} in [${name}]: [${key}].`);
    }
    if (!script) throw parsingError(`Expected [script] in [${name}]`);
    return { name, script, ignoreFailure };
  });
}

export interface CompiledScriptField {
  name: string;
  script: CompiledScript;
  ignoreFailure: boolean;
}

/** SearchService.parseSource: the limit, then each script compiled against the index's mapping. */
export function compileScriptFields(view: IndexView, specs: ScriptFieldSpec[], size: number, policy?: ScriptPolicy): CompiledScriptField[] {
  if (specs.length === 0 || size === 0) return [];
  const max = Number(view.setting?.('index.max_script_fields') ?? 32);
  if (specs.length > max) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Trying to retrieve too many script_fields. Must be less than or equal to: [${max}] but was [${specs.length}]. This limit can be set by changing the [index.max_script_fields] index level setting.`,
    );
  }
  return specs.map((s) => ({ name: s.name, script: compileScript(s.script, (path) => view.mapping.field(path), false, 'field', policy), ignoreFailure: s.ignoreFailure }));
}

function jsonValue(v: JavaValue): unknown {
  // how XContent prints a non-finite double in a hit is not something the engine claims to know
  if ((v.t === 'double' || v.t === 'float') && !Number.isFinite(v.v)) throw unsupported(`a script field value of [${String(v.v)}]`);
  return v.t === 'double' ? new JsonDouble(v.v) : v.t === 'float' ? new JsonDouble(javaFloat(v.v)) : toJson(v);
}

/** The script fields of one hit, in request order. */
export function scriptFieldValues(fields: CompiledScriptField[], seg: SegmentView, doc: number): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const f of fields) {
    const env = segmentEnv(f.script, seg);
    env.doc = doc;
    try {
      // FetchScriptFieldsPhase: a Collection result is the field's values, anything else its one value
      const result = f.script.run(env);
      out[f.name] = result.t === 'list' ? result.v.map(jsonValue) : [jsonValue(result)];
    } catch (e) {
      if (!f.ignoreFailure || !(e instanceof EngineError)) throw e;
      out[f.name] = [null];
    }
  }
  return out;
}
