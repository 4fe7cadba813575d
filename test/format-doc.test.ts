import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWSet, PNCounter, fromJSON, toJSON } from '../src/index.js';

/** The worked examples of FORMAT.md section 8: hex blocks each followed by their JSON twin. */
function examples(): { hex: string; json: string }[] {
  const doc = readFileSync(new URL('../FORMAT.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## 8. Worked examples'));
  const blocks = [...section.matchAll(/```(json)?\n([\s\S]*?)```/g)].map((m) => ({ json: m[1] === 'json', text: m[2]!.trim() }));
  const out: { hex: string; json: string }[] = [];
  for (let i = 0; i + 1 < blocks.length; i++) {
    if (!blocks[i]!.json && blocks[i + 1]!.json) out.push({ hex: blocks[i]!.text, json: blocks[i + 1]!.text });
  }
  return out;
}

describe('FORMAT.md worked examples', () => {
  it('each hex example decodes to the JSON twin shown beside it, and back', () => {
    const found = examples();
    expect(found.length).toBeGreaterThanOrEqual(2);
    for (const { hex, json } of found) {
      const bytes = Uint8Array.from(hex.split(/\s+/).map((b) => parseInt(b, 16)));
      expect(JSON.stringify(toJSON(bytes))).toBe(json);
      expect(fromJSON(JSON.parse(json))).toEqual(bytes);
    }
  });

  it('the examples are what the library itself produces', () => {
    const [counter, set] = examples();
    const c = new PNCounter({ replica: 'a' });
    c.increment(5);
    c.decrement(2);
    expect(Buffer.from(c.encode()).toString('hex')).toBe(counter!.hex.replace(/\s+/g, ''));
    const s = new AWSet({ replica: 'a' });
    s.add('x');
    s.add(7);
    expect(Buffer.from(s.encode()).toString('hex')).toBe(set!.hex.replace(/\s+/g, ''));
  });
});
