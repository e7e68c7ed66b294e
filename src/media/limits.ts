/** The largest media file published: 25 MB (26,214,400 bytes). Larger files are refused. */
export const MAX_MEDIA_BYTES = 25 * 1024 * 1024;

/** What kinds of file are published, by the extension staff give them, and what their bytes must be. */
export interface AllowedType {
  kind: 'image' | 'document';
  /** What `file-type` calls the content (its `ext`); `text` for plain text it cannot detect. */
  detected: string;
  contentType: string;
  /** How staff call it in a warning. */
  label: string;
}

const OOXML = 'application/vnd.openxmlformats-officedocument';
const OPENDOCUMENT = 'application/vnd.oasis.opendocument';

/** Allowed files by lower-case extension. */
export const ALLOWED_TYPES: Readonly<Record<string, AllowedType>> = {
  jpg: { kind: 'image', detected: 'jpg', contentType: 'image/jpeg', label: 'JPEG picture' },
  jpeg: { kind: 'image', detected: 'jpg', contentType: 'image/jpeg', label: 'JPEG picture' },
  png: { kind: 'image', detected: 'png', contentType: 'image/png', label: 'PNG picture' },
  gif: { kind: 'image', detected: 'gif', contentType: 'image/gif', label: 'GIF picture' },
  webp: { kind: 'image', detected: 'webp', contentType: 'image/webp', label: 'WebP picture' },
  avif: { kind: 'image', detected: 'avif', contentType: 'image/avif', label: 'AVIF picture' },
  pdf: { kind: 'document', detected: 'pdf', contentType: 'application/pdf', label: 'PDF' },
  docx: {
    kind: 'document',
    detected: 'docx',
    contentType: `${OOXML}.wordprocessingml.document`,
    label: 'Word document (.docx)',
  },
  xlsx: {
    kind: 'document',
    detected: 'xlsx',
    contentType: `${OOXML}.spreadsheetml.sheet`,
    label: 'Excel workbook (.xlsx)',
  },
  pptx: {
    kind: 'document',
    detected: 'pptx',
    contentType: `${OOXML}.presentationml.presentation`,
    label: 'PowerPoint presentation (.pptx)',
  },
  odt: {
    kind: 'document',
    detected: 'odt',
    contentType: `${OPENDOCUMENT}.text`,
    label: 'OpenDocument text (.odt)',
  },
  ods: {
    kind: 'document',
    detected: 'ods',
    contentType: `${OPENDOCUMENT}.spreadsheet`,
    label: 'OpenDocument spreadsheet (.ods)',
  },
  csv: { kind: 'document', detected: 'text', contentType: 'text/csv', label: 'CSV table' },
  txt: { kind: 'document', detected: 'text', contentType: 'text/plain', label: 'text file' },
};

/** The allowed types, for messages: `JPEG, PNG, GIF, WebP, AVIF; PDF, DOCX, …`. */
export const ALLOWED_SUMMARY =
  'pictures JPEG, PNG, GIF, WebP or AVIF; documents PDF, DOCX, XLSX, PPTX, ODT, ODS, CSV or TXT';
