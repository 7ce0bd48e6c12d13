import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDocSection } from './bench';

describe('writeDocSection', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'perf-')), 'PERFORMANCE.md');

  it('creates the file with its own section when missing', () => {
    const path = file();
    writeDocSection(path, 'FIGURES-1');
    expect(readFileSync(path, 'utf8')).toMatch(/^# Performance[\s\S]*## Terminal gateway[\s\S]*FIGURES-1\n\nReading the figures/);
  });

  it('replaces only its own section, keeping the sections before and after it', () => {
    const path = file();
    writeFileSync(path, '# Perf\n\n## Ledger\n\nledger figures\n\n## Terminal gateway\n\nold figures\n\n## Event store\n\nstore figures\n');
    writeDocSection(path, 'FIGURES-2');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('## Ledger\n\nledger figures\n');
    expect(text).toContain('## Event store\n\nstore figures\n');
    expect(text).toContain('FIGURES-2');
    expect(text).not.toContain('old figures');
    expect(text.indexOf('## Ledger')).toBeLessThan(text.indexOf('## Terminal gateway'));
    expect(text.indexOf('## Terminal gateway')).toBeLessThan(text.indexOf('## Event store'));
    writeDocSection(path, 'FIGURES-3');
    expect(readFileSync(path, 'utf8').match(/## Terminal gateway/g)).toHaveLength(1);
  });

  it('keeps the hand-written "### Analysis" subsection of its section and regenerates the rest', () => {
    const path = file();
    writeFileSync(path, '# Perf\n\n## Terminal gateway\n\nold figures\n\n### Analysis\n\nwhy the target is missed\n\n## Audit\n\naudit figures\n');
    writeDocSection(path, 'FIGURES-4');
    writeDocSection(path, 'FIGURES-5');
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('old figures');
    expect(text.match(/### Analysis\n\nwhy the target is missed\n/g)).toHaveLength(1);
    expect(text.indexOf('FIGURES-5')).toBeLessThan(text.indexOf('### Analysis'));
    expect(text.indexOf('### Analysis')).toBeLessThan(text.indexOf('## Audit\n\naudit figures'));
  });
});
