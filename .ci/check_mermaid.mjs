// Parses every Mermaid diagram in the given Markdown files with Mermaid's own parser, so a
// diagram that GitHub would show as an error box fails CI instead. Run by .ci/run, which installs
// mermaid and jsdom into a temporary directory (NODE_PATH).
const jsdom = await import(process.env.JSDOM_MODULE || 'jsdom');
const JSDOM = jsdom.JSDOM || jsdom.default.JSDOM;
import fs from 'fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window; globalThis.document = dom.window.document;
for (const k of ['DOMParser','Element','HTMLElement','Node','navigator']) { try { globalThis[k] = dom.window[k]; } catch (e) {} }
const { default: mermaid } = await import(process.env.MERMAID_MODULE || 'mermaid');
mermaid.initialize({ startOnLoad: false });
let bad = 0, n = 0;
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const re = /```mermaid\n([\s\S]*?)```/g; let m;
  while ((m = re.exec(text))) {
    n++;
    try { await mermaid.parse(m[1]); }
    catch (e) { bad++; console.log(`FAIL ${file}: ${String(e.message || e).split('\n').slice(0,4).join(' | ')}\n---\n${m[1].slice(0,200)}`); }
  }
}
console.log(`${n} diagrams, ${bad} failed`);
process.exit(bad ? 1 : 0);
