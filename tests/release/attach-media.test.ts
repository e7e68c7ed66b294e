import { describe, expect, it } from 'vitest';
import { publishedDocuments } from '../../src/media/published.js';
import type { MediaLookup } from '../../src/media/resolve.js';
import { attachMedia } from '../../src/release/attach-media.js';
import { parseRelease } from '../../src/release/parse.js';
import { htmlBytes, jpegBytes, pdfBytes, pngBytes } from '../support/media-bytes.js';
import { OPTIONS, withFrontMatter } from './support.js';

const SITE = OPTIONS.siteUrl;

/** A lookup over files held in memory, keyed by path relative to the releases root. */
function memory(files: Record<string, Uint8Array>): MediaLookup {
  return (path) => {
    const body = files[path];
    return body === undefined ? undefined : { size: body.length, read: () => body };
  };
}

const SOURCE = withFrontMatter(
  'title: Kirjasto avautuu\ndate: 2025-05-27 10:00\nimage: kuvat/julkisivu.jpg\nimage_alt: Julkisivu',
  [
    'Kirjasto avautuu.',
    '',
    '![Lukusali](kuvat/lukusali.png)',
    '',
    'Aukioloajat: [aukioloajat (PDF)](aukioloajat.pdf#sivu=2) ja [kartta](kartta.png).',
    '',
    '<img src="../yhteiset/logo.png" alt="Logo">',
  ].join('\n'),
);

function parse(path = '2025/kirjasto.md', source = SOURCE) {
  const result = parseRelease(path, new TextEncoder().encode(source), OPTIONS);
  if (!result.ok) throw new Error(result.problem.message);
  return result;
}

describe('media references in a parsed release', () => {
  it('records each file beside the release once, with its public path and line', () => {
    const { release, warnings } = parse();
    expect(warnings).toEqual([]);
    expect(release.image).toBe(`${SITE}/media/2025/kuvat/julkisivu.jpg`);
    expect(
      release.media?.map(({ sourcePath, publicPath, line }) => ({ sourcePath, publicPath, line })),
    ).toEqual([
      {
        sourcePath: '2025/kuvat/julkisivu.jpg',
        publicPath: 'media/2025/kuvat/julkisivu.jpg',
        line: 4,
      },
      {
        sourcePath: '2025/kuvat/lukusali.png',
        publicPath: 'media/2025/kuvat/lukusali.png',
        line: 10,
      },
      { sourcePath: '2025/aukioloajat.pdf', publicPath: 'media/2025/aukioloajat.pdf', line: 12 },
      { sourcePath: '2025/kartta.png', publicPath: 'media/2025/kartta.png', line: 12 },
      { sourcePath: 'yhteiset/logo.png', publicPath: 'media/yhteiset/logo.png' },
    ]);
    expect(release.contentHtml).toContain(`href="${SITE}/media/2025/aukioloajat.pdf#sivu=2"`);
  });

  it('warns about a reference that climbs out of the releases folder, and links nothing', () => {
    const { release, warnings } = parse(
      'tiedote.md',
      withFrontMatter('title: T\ndate: 2025-02-03', 'Katso [tiedosto](../../salaisuus.pdf).'),
    );
    expect(warnings).toEqual([
      {
        path: 'tiedote.md',
        line: 6,
        message: expect.stringMatching(
          /^`\.\.\/\.\.\/salaisuus\.pdf` points outside the releases folder/,
        ),
      },
    ]);
    expect(release.contentHtml).toBe('<p>Katso <a>tiedosto</a>.</p>\n');
    expect(release.media).toBeUndefined();
  });
});

describe('attachMedia', () => {
  const files = {
    '2025/kuvat/julkisivu.jpg': jpegBytes(1200, 675),
    '2025/kuvat/lukusali.png': pngBytes(40, 30),
    '2025/aukioloajat.pdf': pdfBytes(),
    '2025/kartta.png': htmlBytes(),
  };

  it('gives published images their real size and drops what is not published, with warnings', async () => {
    const { release } = parse();
    const attached = await attachMedia(release, memory(files));
    const html = attached.release.contentHtml;
    expect(html).toContain(
      `<img src="${SITE}/media/2025/kuvat/lukusali.png" alt="Lukusali" width="40" height="30" />`,
    );
    // The fake picture and the missing logo point at nothing: the link keeps its text, the image goes.
    expect(html).toContain('ja kartta.</p>');
    expect(html).not.toContain('kartta.png');
    expect(html).not.toContain('logo.png');
    expect(attached.release.image).toBe(`${SITE}/media/2025/kuvat/julkisivu.jpg`);
    expect(attached.warnings).toEqual([
      {
        path: '2025/kirjasto.md',
        line: 12,
        message: expect.stringMatching(
          /^`2025\/kartta\.png` was not published: The file is named \.png but its content is not a PNG picture/,
        ),
      },
      {
        path: '2025/kirjasto.md',
        message: expect.stringMatching(
          /^`yhteiset\/logo\.png` was not published: The file was not found beside the release/,
        ),
      },
    ]);
    expect(
      attached.files.map((file) => [file.path, file.contentType, file.contentDisposition]),
    ).toEqual([
      ['media/2025/kuvat/julkisivu.jpg', 'image/jpeg', undefined],
      ['media/2025/kuvat/lukusali.png', 'image/png', undefined],
      ['media/2025/aukioloajat.pdf', 'application/pdf', 'attachment; filename="aukioloajat.pdf"'],
    ]);
    expect(publishedDocuments(attached.release).map((media) => media.file.length)).toEqual([
      files['2025/aukioloajat.pdf'].length,
    ]);
  });

  it('drops a lead image whose file is missing, with its alt text', async () => {
    const { release } = parse();
    const { '2025/kuvat/julkisivu.jpg': _gone, ...rest } = files;
    const attached = await attachMedia(release, memory(rest));
    expect(attached.release.image).toBeUndefined();
    expect(attached.release.imageAlt).toBeUndefined();
    expect(attached.warnings[0]).toMatchObject({ line: 4 });
  });

  it('never reads a file over the limit', async () => {
    const { release } = parse();
    let reads = 0;
    const lookup: MediaLookup = (path) =>
      path === '2025/aukioloajat.pdf'
        ? {
            size: 25 * 1024 * 1024 + 1,
            read: () => {
              reads += 1;
              return pdfBytes();
            },
          }
        : memory(files)(path);
    const attached = await attachMedia(release, lookup);
    expect(reads).toBe(0);
    expect(attached.warnings.map((warning) => warning.message)).toContainEqual(
      expect.stringMatching(
        /^`2025\/aukioloajat\.pdf` was not published: The file is 25\.0 MB; files over 25 MB/,
      ),
    );
    expect(attached.release.contentHtml).toContain('Aukioloajat: aukioloajat (PDF) ja');
  });
});

describe('a document shown as a picture', () => {
  it('is not shown as one, with a warning, and is published only when also linked', async () => {
    const source = withFrontMatter(
      'title: T\ndate: 2025-02-03\nimage: liite.pdf',
      '![Kartta](kartta.pdf)\n\n[Liite](liite.pdf)',
    );
    const { release } = parse('2025/t.md', source);
    const attached = await attachMedia(
      release,
      memory({ '2025/liite.pdf': pdfBytes(), '2025/kartta.pdf': pdfBytes('Kartta') }),
    );
    expect(attached.release.image).toBeUndefined();
    expect(attached.release.contentHtml).not.toContain('<img');
    expect(attached.release.contentHtml).toContain(
      `<a href="${SITE}/media/2025/liite.pdf">Liite</a>`,
    );
    expect(attached.files.map((file) => file.path)).toEqual(['media/2025/liite.pdf']);
    expect(attached.warnings.map((w) => [w.line, w.message])).toEqual([
      [4, expect.stringMatching(/^`2025\/liite\.pdf` is a document, not a picture/)],
      [7, expect.stringMatching(/^`2025\/kartta\.pdf` is a document, not a picture/)],
    ]);
  });
});
