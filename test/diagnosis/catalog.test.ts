/**
 * The machine remembers, not the reviewer: every rule is indexed, named after its file, tested,
 * documented, and its options accept its defaults; every fix id is unique and cites a real section.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderIndex, ruleFileIds } from '../../scripts/gen-rules-index.js';
import { FIXES } from '../../src/diagnosis/fixes/index.js';
import { RULE_LIST, RULES } from '../../src/diagnosis/rules/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rulesDir = join(root, 'src', 'diagnosis', 'rules');
const guide = readFileSync(join(root, 'docs', 'guide.md'), 'utf8');
const sections = new Set([...guide.matchAll(/^#{2,3}\s+(\d+(?:\.\d+)?)\s/gm)].map((m) => m[1]!));

/** "4.1–4.3", "9.1-9.3", "3.1, 8.1" → each must exist. */
function citedSections(s: string): string[] {
  return s.split(/[,\s]+|[–-]/).filter(Boolean);
}

describe('rule catalog', () => {
  const files = ruleFileIds(rulesDir);

  it('the index is generated from the rule files present (run scripts/gen-rules-index.ts)', () => {
    expect(readFileSync(join(rulesDir, 'index.ts'), 'utf8')).toBe(renderIndex(files));
    expect(Object.keys(RULES).sort()).toEqual(files);
    expect(RULE_LIST.map((r) => r.meta.id)).toEqual(files);
  });

  it('finds the guide sections', () => {
    expect(sections.has('3.2')).toBe(true);
    expect(sections.size).toBeGreaterThan(30);
  });

  describe.each(files)('%s', (id) => {
    const rule = RULES[id]!;
    it('id equals the file name', () => expect(rule.meta.id).toBe(id));
    it('has a table test and a doc page', () => {
      expect(existsSync(join(root, 'test', 'diagnosis', 'rules', `${id}.test.ts`)), `test/diagnosis/rules/${id}.test.ts`).toBe(true);
      expect(existsSync(join(root, 'docs', 'rules', `${id}.md`)), `docs/rules/${id}.md`).toBe(true);
    });
    it('its options schema accepts its defaults', () => {
      expect(rule.meta.options.safeParse(rule.meta.defaults).success).toBe(true);
    });
    it('cites a real guide section or the Databricks docs', () => {
      const g = rule.meta.guideSection;
      if (g === 'docs') expect(rule.meta.docUrl).toMatch(/^https:\/\//);
      else for (const s of citedSections(g)) expect(sections, `${id}: guide section ${s}`).toContain(s);
    });
    it('has at least one message', () => expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0));
  });
});

describe('fix catalog', () => {
  it('ids are unique', () => {
    const ids = FIXES.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it.each(FIXES.map((f) => [f.id, f] as const))('%s cites a real guide section or docs', (_id, fix) => {
    if (fix.guideSection === 'docs') return;
    for (const s of citedSections(fix.guideSection)) expect(sections, `${fix.id}: guide section ${s}`).toContain(s);
  });
});
