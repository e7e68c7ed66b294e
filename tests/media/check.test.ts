import { describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/media/check.js';
import { attachmentDisposition } from '../../src/media/disposition.js';
import { MAX_MEDIA_BYTES } from '../../src/media/limits.js';
import { isFileReference, mediaSourcePath, mediaUrl } from '../../src/media/paths.js';
import {
  docxBytes,
  htmlBytes,
  jpegBytes,
  odtBytes,
  pdfBytes,
  pngBytes,
  svgWithScriptBytes,
  zipBytes,
} from '../support/media-bytes.js';

describe('checkMedia decides by the bytes', () => {
  it('publishes a PNG and a JPEG with their real size in pixels and bytes', async () => {
    const png = pngBytes(30, 20);
    expect(await checkMedia('kuva.png', png)).toEqual({
      ok: true,
      info: { kind: 'image', contentType: 'image/png', length: png.length, width: 30, height: 20 },
    });
    const jpeg = jpegBytes(640, 480);
    expect(await checkMedia('Kuva.JPEG', jpeg)).toEqual({
      ok: true,
      info: {
        kind: 'image',
        contentType: 'image/jpeg',
        length: jpeg.length,
        width: 640,
        height: 480,
      },
    });
  });

  it('publishes a PDF, UTF-8 text and CSV as documents', async () => {
    const pdf = pdfBytes();
    expect(await checkMedia('liite.pdf', pdf)).toEqual({
      ok: true,
      info: { kind: 'document', contentType: 'application/pdf', length: pdf.length },
    });
    const csv = new TextEncoder().encode('päivä;aika\nma;8–20\n');
    expect(await checkMedia('ajat.csv', csv)).toMatchObject({
      ok: true,
      info: { contentType: 'text/csv; charset=utf-8', length: csv.length },
    });
    const latin1 = Uint8Array.from([0x70, 0xe4, 0x69, 0x76, 0xe4]); // "päivä" in Windows-1252
    expect(await checkMedia('vanha.txt', latin1)).toMatchObject({
      ok: true,
      info: { contentType: 'text/plain' },
    });
  });

  it('publishes a Word document and an OpenDocument text by their zipped contents', async () => {
    expect(await checkMedia('pöytäkirja.docx', docxBytes())).toMatchObject({
      ok: true,
      info: {
        kind: 'document',
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
    });
    expect(await checkMedia('muistio.odt', odtBytes())).toMatchObject({
      ok: true,
      info: { kind: 'document', contentType: 'application/vnd.oasis.opendocument.text' },
    });
  });

  it.each([
    [
      'taulukko.xlsx',
      docxBytes(),
      /named \.xlsx but its content is a Word document \(\.docx\)\. Rename it to \.docx/,
    ],
    [
      'liite.docx',
      zipBytes([['a.txt', 'x']]),
      /named \.docx but its content is not a Word document/,
    ],
    ['kuva.png', htmlBytes(), /named \.png but its content is not a PNG picture/],
    [
      'kuva.png',
      jpegBytes(8, 8),
      /named \.png but its content is a JPEG picture\. Rename it to \.jpg/,
    ],
    ['liite.pdf', pngBytes(2, 2), /named \.pdf but its content is a PNG picture/],
    ['logo.svg', svgWithScriptBytes(), /SVG pictures can carry scripts/],
    ['kuva.png', svgWithScriptBytes(), /not a PNG picture/],
    ['ohje.txt', htmlBytes(), /not a text file/],
    ['asiakirja.doc', pdfBytes(), /A \.doc file is not published/],
    ['ohjelma.exe', Uint8Array.from([0x4d, 0x5a, 0, 0]), /A \.exe file is not published/],
    ['README', new TextEncoder().encode('x'), /A file without an extension is not published/],
    ['tyhja.pdf', new Uint8Array(0), /The file is empty/],
  ])('refuses %s with a reason staff can act on', async (name, bytes, reason) => {
    const check = await checkMedia(name, bytes);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it('refuses a picture cut short in its header, never reading past the file', async () => {
    // A view into a larger buffer, as Node reads small files: the bytes after it are not the file's.
    const cut = Buffer.from(pngBytes(30, 20)).subarray(0, 20);
    expect(cut.buffer.byteLength).toBeGreaterThan(20);
    const check = await checkMedia('kuva.png', cut);
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/PNG picture is damaged/) });
  });

  it('refuses a file one byte over 25 MB and publishes one of exactly 25 MB', async () => {
    expect(MAX_MEDIA_BYTES).toBe(26_214_400);
    const pdf = pdfBytes();
    const exact = new Uint8Array(MAX_MEDIA_BYTES);
    exact.set(pdf);
    expect((await checkMedia('iso.pdf', exact)).ok).toBe(true);
    const over = new Uint8Array(MAX_MEDIA_BYTES + 1);
    over.set(pdf);
    const check = await checkMedia('iso.pdf', over);
    expect(check).toEqual({
      ok: false,
      reason: expect.stringMatching(/25\.0 MB; files over 25 MB/),
    });
  });
});

describe('Content-Disposition for documents (RFC 6266)', () => {
  it('names an ASCII file plainly', () => {
    expect(attachmentDisposition('liite.pdf')).toBe('attachment; filename="liite.pdf"');
  });

  it('keeps a UTF-8 name exactly in filename*, with an ASCII fallback', () => {
    expect(attachmentDisposition('Päätös "A" (2025).pdf')).toBe(
      `attachment; filename="Paatos _A_ (2025).pdf"; filename*=UTF-8''P%C3%A4%C3%A4t%C3%B6s%20%22A%22%20%282025%29.pdf`,
    );
    const encoded = /filename\*=UTF-8''(.+)$/.exec(attachmentDisposition('Liite ä€.pdf'))?.[1];
    expect(decodeURIComponent(encoded ?? '')).toBe('Liite ä€.pdf');
  });
});

describe('public media paths', () => {
  it.each([
    ['kuva.jpg', 'image', true],
    ['kuvat/kuva', 'image', true],
    ['liite.pdf', 'link', true],
    ['liite.PDF?x=1#s2', 'link', true],
    ['toinen.html', 'link', false],
    ['toinen.md', 'link', false],
    ['kansio/', 'link', false],
    ['https://example.fi/a.pdf', 'link', false],
    ['/kuvat/a.jpg', 'image', false],
    ['#osa', 'link', false],
    ['mailto:a@example.fi', 'link', false],
  ] as const)('%s as %s is a file beside the release: %s', (reference, kind, expected) => {
    expect(isFileReference(reference, kind)).toBe(expected);
  });

  it('resolves a reference from the release folder, decoded and NFC', () => {
    expect(mediaSourcePath('2025/tiedote.md', 'kuvat/kev%C3%A4t%20kuva.jpg')).toBe(
      '2025/kuvat/kevät kuva.jpg',
    );
    expect(mediaSourcePath('2025/tiedote.md', './../yhteiset/logo.png')).toBe('yhteiset/logo.png');
    expect(mediaSourcePath('2025/tiedote.md', 'a\u0308.jpg')).toBe('2025/ä.jpg');
    expect(mediaSourcePath('2025/tiedote.md', '../../passwd.png')).toBeUndefined();
    expect(mediaSourcePath('tiedote.md', '../x.png')).toBeUndefined();
    expect(mediaSourcePath('2025/t.md', '..%2F..%2F..%2Fetc%2Fpasswd.png')).toBeUndefined();
    expect(mediaSourcePath('2025/t.md', '..\\..\\x.png')).toBeUndefined();
  });

  it('gives two releases\u2019 kuva.jpg in different folders different addresses', () => {
    const a = mediaSourcePath('2024/a.md', 'kuva.jpg');
    const b = mediaSourcePath('2025/b.md', 'kuva.jpg');
    expect(a).not.toBe(b);
    expect(mediaUrl('https://t.example.fi', `media/${b}`)).toBe(
      'https://t.example.fi/media/2025/kuva.jpg',
    );
    expect(mediaUrl('https://t.example.fi/', 'media/kevät kuva#1.jpg')).toBe(
      'https://t.example.fi/media/kev%C3%A4t%20kuva%231.jpg',
    );
  });
});
