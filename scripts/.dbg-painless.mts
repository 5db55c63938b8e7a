import { Engine } from '/work/wt/painless/src/engine/index.js';
import { mkdtempSync } from 'node:fs';
async function main() {
const e = await Engine.open(mkdtempSync('/tmp/jt/eng-'));
await e.handle({ method: 'PUT', path: '/t/_doc/1', body: '{}' });
await e.handle({ method: 'POST', path: '/t/_refresh' });
for (const src of process.argv.slice(2)) {
  const r = await e.handle({ method: 'POST', path: '/t/_search', body: JSON.stringify({ script_fields: { v: { script: { source: src } } } }) });
  console.log(String(r.body).slice(0, 1500));
}
await e.close();
}
main();
