import { fileTypeFromBuffer } from 'file-type/core';
import { imageSize } from 'image-size';
import { ALLOWED_SUMMARY, ALLOWED_TYPES, type AllowedType, MAX_MEDIA_BYTES } from './limits.js';
import type { MediaInfo } from './types.js';

/** Whether a media file may be published, and if not, why (a sentence staff can act on). */
export type MediaCheck = { ok: true; info: MediaInfo } | { ok: false; reason: string };

/**
 * Decides from its bytes whether the file `name` may be published: its content must be one of the
 * allowed types ({@link ALLOWED_TYPES}) and the one its extension names, and at most
 * {@link MAX_MEDIA_BYTES} long. SVG is refused (it can carry scripts). Images get their pixel size
 * from the header. Never throws.
 */
export async function checkMedia(name: string, bytes: Uint8Array): Promise<MediaCheck> {
  const extension = /\.([^./]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const allowed = ALLOWED_TYPES[extension];
  if (extension === 'svg' || extension === 'svgz') {
    return refuse(
      'SVG pictures can carry scripts, so they are not published. Save the picture as PNG or JPEG.',
    );
  }
  if (allowed === undefined) {
    return refuse(
      `${extension === '' ? 'A file without an extension' : `A .${extension} file`} is not published; the site publishes ${ALLOWED_SUMMARY}.`,
    );
  }
  if (bytes.length === 0) return refuse('The file is empty.');
  if (bytes.length > MAX_MEDIA_BYTES) return refuse(tooLarge(bytes.length));
  const detected = await detect(bytes);
  if (detected !== allowed.detected) return refuse(mismatch(extension, allowed, detected));
  return allowed.kind === 'image' ? imageInfo(bytes, allowed) : documentInfo(bytes, allowed);
}

/** The reason given for a file over the limit, from its size alone (no need to read it). */
export function tooLarge(length: number): string {
  const mb = (length / 1024 / 1024).toFixed(1);
  return `The file is ${mb} MB; files over ${MAX_MEDIA_BYTES / 1024 / 1024} MB are not published. Make it smaller (a picture: fewer pixels; a document: compress its pictures).`;
}

/** What the bytes are, in `file-type`'s words; `text` for text it leaves undetected. */
async function detect(bytes: Uint8Array): Promise<string | undefined> {
  let type: { ext: string } | undefined;
  try {
    type = await fileTypeFromBuffer(bytes);
  } catch {
    return undefined; // damaged beyond recognition: no type
  }
  if (type !== undefined) return type.ext;
  return isPlainText(bytes) ? 'text' : undefined;
}

/** Text without NUL bytes and without HTML/SVG markup at its start. */
function isPlainText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return false;
  const start = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 512));
  return !/^\s*<(?:!doctype|html|svg|\?xml|script|head|body)\b/i.test(start.replace(/^\uFEFF/, ''));
}

function mismatch(extension: string, allowed: AllowedType, detected: string | undefined): string {
  const actual = Object.entries(ALLOWED_TYPES).find(([, type]) => type.detected === detected);
  if (detected !== undefined && detected !== 'text' && actual !== undefined) {
    return `The file is named .${extension} but its content is a ${actual[1].label}. Rename it to .${actual[0]}.`;
  }
  return `The file is named .${extension} but its content is not a ${allowed.label} (it may be another kind of file, or damaged). Save it again as a ${allowed.label}.`;
}

function imageInfo(bytes: Uint8Array, allowed: AllowedType): MediaCheck {
  let size: { width?: number; height?: number; orientation?: number };
  try {
    size = imageSize(ownBuffer(bytes));
  } catch {
    size = {};
  }
  // EXIF orientations 5–8 turn the picture a quarter: it is shown with width and height swapped.
  const turned = (size.orientation ?? 1) >= 5;
  const width = turned ? size.height : size.width;
  const height = turned ? size.width : size.height;
  if (!width || !height) {
    return refuse(`The ${allowed.label} is damaged: its size in pixels cannot be read.`);
  }
  return {
    ok: true,
    info: { kind: 'image', contentType: allowed.contentType, length: bytes.length, width, height },
  };
}

function documentInfo(bytes: Uint8Array, allowed: AllowedType): MediaCheck {
  const utf8 = allowed.detected === 'text' && isUtf8(bytes);
  return {
    ok: true,
    info: {
      kind: 'document',
      contentType: utf8 ? `${allowed.contentType}; charset=utf-8` : allowed.contentType,
      length: bytes.length,
    },
  };
}

/**
 * `bytes` on an ArrayBuffer of its own. image-size reads through the whole underlying buffer, so on
 * a view (a small file Node read into its shared pool, a `Buffer#slice`) it would read past the
 * file's end into whatever follows.
 */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? bytes : new Uint8Array(bytes);
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function refuse(reason: string): MediaCheck {
  return { ok: false, reason };
}
