import { describe, expect, it } from 'vitest';
import { isReleaseSourcePath } from '../../src/release/source-files.js';

describe('isReleaseSourcePath', () => {
  it('accepts Markdown files in any folder, with spaces, ä and either letter case of .md', () => {
    for (const path of ['a.md', '2025/Kevään katutyöt.md', 'sv/PRESS.MD', 'x/y/z.Md', 'a.b.md']) {
      expect(isReleaseSourcePath(path), path).toBe(true);
    }
  });

  it('refuses other files, bare extensions and anything hidden at any level', () => {
    for (const path of [
      'kuva.jpg',
      'tiedote.md.txt',
      'tiedote.markdown.bak',
      '.md',
      'kansio/.md',
      '._tiedote.md',
      '.#tiedote.md',
      '.github/pull_request_template.md',
      '2025/.trash/vanha.md',
      '',
    ]) {
      expect(isReleaseSourcePath(path), path).toBe(false);
    }
  });
});
