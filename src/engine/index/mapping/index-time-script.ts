import type { IndexTimeScript } from '../../contract.js';
import { unsupported } from '../../errors.js';
import { mapperParsing } from './mapping-errors.js';
import { onScriptError, scriptJson } from './script-param.js';

/** The parameters a field with a `script` may not set (Parameter.precludesParameters of each mapper). */
const PRECLUDED = ['ignore_malformed', 'coerce', 'null_value', 'ignore_z_value'] as const;

interface ScriptedFieldShape {
  /** The field declares multi-fields (`fields`). */
  multiFields: boolean;
  copyTo: readonly string[];
  /** The field is itself a multi-field. */
  multi: boolean;
  /** The nearest enclosing nested object. */
  nestedPath: string | undefined;
}

/**
 * A mapped field's `script` and `on_script_error` (FieldMapper.Builder's script parameter and its
 * validators): the script in its full form, or undefined when the field has none. The script is
 * compiled once the whole mapping is built (Mapping.build), where `doc[...]` fields resolve.
 */
export function indexTimeScript(path: string, params: Record<string, unknown>, shape: ScriptedFieldShape): IndexTimeScript | undefined {
  const onError = onScriptError(params.on_script_error);
  if (params.script === undefined || params.script === null) {
    if (params.on_script_error !== undefined) throw mapperParsing('Field [on_script_error] requires field [script] to be configured');
    return undefined;
  }
  const script = scriptJson(params.script, `field [${path}]`);
  for (const key of PRECLUDED) {
    if (params[key] !== undefined) throw mapperParsing(`Field [${key}] cannot be set in conjunction with field [script]`);
  }
  if (String(params.index ?? true) === 'false' && String(params.doc_values ?? true) === 'false') throw mapperParsing('Cannot define script on field with index:false and doc_values:false');
  if (shape.multiFields) throw mapperParsing('Cannot define multifields on a field with a script');
  if (shape.copyTo.length > 0) throw mapperParsing('Cannot define copy_to parameter on a field with a script');
  // which nested document a script's values would go to is DocumentParser's detail: refused, not guessed
  if (shape.nestedPath !== undefined) throw unsupported(`an index-time [script] on field [${path}] inside the nested object [${shape.nestedPath}]`);
  if (shape.multi) throw unsupported(`an index-time [script] on the multi-field [${path}]`);
  const scriptParams = script.params;
  return {
    source: String(script.source),
    params: typeof scriptParams === 'object' && scriptParams !== null ? (scriptParams as Record<string, unknown>) : {},
    continueOnError: onError === 'continue',
  };
}
