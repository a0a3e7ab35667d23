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
  it.each(FIXES.map((f) => [f.id, f] as const))('%s cites a real guide section, or a Databricks doc by its link', (_id, fix) => {
    if (fix.docUrl !== undefined) expect(fix.docUrl).toMatch(/^https:\/\/docs\.databricks\.com\//);
    if (fix.guideSection === 'docs') {
      expect(fix.docUrl, `${fix.id}: guideSection "docs" needs a docUrl`).toBeDefined();
      return;
    }
    expect(citedSections(fix.guideSection).length).toBeGreaterThan(0);
    for (const s of citedSections(fix.guideSection)) expect(sections, `${fix.id}: guide section ${s}`).toContain(s);
  });
});

/** "§3.2", "§4.1–4.3", "§3.2/§3.3" → the sections a doc page cites. */
function pageSections(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/§\s?(\d+(?:\.\d+)?)(?:\s?[–-]\s?(\d+(?:\.\d+)?))?/g)) {
    out.push(m[1]!);
    if (m[2]) out.push(m[2]);
  }
  return out;
}

/** The "## Fixes" section of a rule page, up to the next "## " heading. */
function fixesSection(text: string): string {
  const m = /^## Fixes[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text);
  return m ? m[1]! : '';
}

describe('rule pages cite their sources (docs/rules/<id>.md)', () => {
  const files = ruleFileIds(rulesDir);
  const fixIds = new Set(FIXES.map((f) => f.id));

  describe.each(files)('%s', (id) => {
    const page = readFileSync(join(root, 'docs', 'rules', `${id}.md`), 'utf8');
    const header = page.split('\n').find((l) => l.startsWith('**Category**')) ?? '';
    const meta = RULES[id]!.meta;

    it('has a source line naming a guide section or a Databricks doc', () => {
      expect(header, `docs/rules/${id}.md needs a "**Category** … · **source** …" line`).toMatch(/\*\*source\*\* /);
      const source = header.slice(header.indexOf('**source**'));
      expect(/§\d/.test(source) || /https:\/\//.test(source), `${id}: the source names no guide section (§) or doc link`).toBe(true);
    });

    it("the source line carries the rule's own guide sections and doc link", () => {
      const source = header.slice(header.indexOf('**source**'));
      if (meta.guideSection !== 'docs') {
        const cited = new Set(pageSections(source));
        expect(citedSections(meta.guideSection).some((s) => cited.has(s)), `${id}: rule cites §${meta.guideSection}, its page's source line ${[...cited].join(', ')}`).toBe(true);
      }
      if (meta.docUrl) expect(page, `${id}: the page should link ${meta.docUrl}`).toContain(meta.docUrl);
    });

    it('every guide section it cites exists', () => {
      for (const s of pageSections(page)) expect(sections, `${id}: §${s}`).toContain(s);
    });

    it('lists every fix its rule file names', () => {
      // the fix ids the rule's source asks for (FixRequest ids are string literals in the rule file)
      const source = readFileSync(join(rulesDir, `${id}.ts`), 'utf8');
      const requested = [...new Set([...source.matchAll(/'([a-z0-9]+(?:-[a-z0-9]+)+)'/g)].map((m) => m[1]!))].filter((n) => fixIds.has(n));
      const listed = fixesSection(page);
      for (const fixId of requested) expect(listed, `docs/rules/${id}.md "## Fixes" should list \`${fixId}\``).toContain(`\`${fixId}\``);
    });

    it('every fix it lists is cited with the fix\'s own source (guide section or Databricks doc link)', () => {
      // a "Rules out …: `raise-max-workers` is dropped" line names a fix the rule does not propose
      const text = fixesSection(page)
        .split('\n')
        .filter((l) => !/rules out/i.test(l))
        .join('\n');
      const named = [...new Set([...text.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map((m) => m[1]!))].filter((n) => fixIds.has(n));
      for (const fixId of named) {
        const fix = FIXES.find((f) => f.id === fixId)!;
        if (fix.guideSection === 'docs') expect(page, `${id}: ${fixId} comes from ${fix.docUrl}; link it`).toContain(fix.docUrl!);
        else {
          const cited = new Set(pageSections(page));
          expect(citedSections(fix.guideSection).some((s) => cited.has(s)), `${id}: ${fixId} comes from §${fix.guideSection}; cite it`).toBe(true);
        }
      }
    });
  });

  it('the page check can fail: a page without a source line or with an unknown section is caught', () => {
    expect(pageSections('**source** guide §3.2/§3.3, §9.1–9.3')).toEqual(['3.2', '3.3', '9.1', '9.3']);
    expect(pageSections('**source** guide §99.9').every((s) => sections.has(s))).toBe(false);
    expect(fixesSection('# x\n## Fixes\n- `enable-photon` (guide §4.3)\n\n## Example\n`raise-max-workers`')).toContain('enable-photon');
    expect(fixesSection('# x\n## Fixes\n- `enable-photon`\n\n## Example\n`raise-max-workers`')).not.toContain('raise-max-workers');
  });
});
