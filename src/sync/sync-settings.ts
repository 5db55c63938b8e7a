import { settingDefault } from '../config/setting-defaults.js';
import type { GeneralSettings, SyncSettings } from '../config/settings-types.js';

/**
 * `settings.sync` with the schema's defaults filled in (a settings object built by hand, without
 * loadConfig, may lack it or some of its keys).
 */
export function syncSettingsOf(settings: Partial<Pick<GeneralSettings, 'sync'>>): SyncSettings {
  const defaults = settingDefault<SyncSettings>('sync');
  return { ...defaults, ...settings.sync, related: settings.sync?.related ?? defaults.related ?? [] };
}
