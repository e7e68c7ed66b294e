// MIME benchmark: our writer (src/mail/compose.ts) on real digests for 100,000 recipients, next to
// nodemailer's composer on a sample in the same run and to a floor (base64 of the same bytes, no
// headers, no line breaks). Run standalone: npx tsx bench/mime.ts
import MailComposer from 'nodemailer/lib/mail-composer';
import { digestMailContent } from '../src/digest/message.js';
import { personalize, prepareIssue, releasesFor } from '../src/digest/render.js';
import { loadTemplateSource, VariantCache } from '../src/digest/templates.js';
import { type MailContent, writeMail } from '../src/mail/compose.js';
import { recipientAt, releases } from './digest.js';
import { BENCH_SITE as SITE } from './generate.js';

const FROM = { name: 'Esimerkkilä', address: 'tiedotteet@example.fi' };
const SLOT = new Date('2026-11-28T06:00:00Z');
/** Distinct personalized digests the run cycles through (memory stays small, work stays real). */
const DISTINCT = 500;

/** Milliseconds per message: wall clock, and CPU time of this process (steadier on a busy machine). */
export interface PerMessage {
  wallMs: number;
  cpuMs: number;
}

export interface MimeBench {
  messages: number;
  /** Mean size of one message written by us, in bytes. */
  meanBytes: number;
  /** Ours over `messages`, nodemailer over `sample`, the floor over `messages`. */
  ours: PerMessage;
  nodemailer: PerMessage;
  floor: PerMessage;
  sample: number;
  /** nodemailer's CPU time per message divided by ours. */
  ratio: number;
}

async function perMessage(count: number, run: (i: number) => unknown): Promise<PerMessage> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await run(i);
  const wallMs = (performance.now() - t0) / count;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 / count };
}

async function digestContents(count: number): Promise<MailContent[]> {
  const all = releases(30);
  const cache = new VariantCache(loadTemplateSource(), SITE);
  const contents: MailContent[] = [];
  for (let i = 0; i < count; i++) {
    const recipient = recipientAt(i);
    const issue = prepareIssue(await cache.variant('daily', recipient.lang), all, SITE, SLOT);
    const mail = personalize(issue, recipient, releasesFor(recipient, all));
    contents.push(
      digestMailContent({
        site: SITE,
        from: FROM,
        kind: 'daily',
        runId: 'bench',
        recipient,
        mail,
        date: SLOT,
      }),
    );
  }
  return contents;
}

function nodemailer(content: MailContent): Promise<Buffer> {
  const { list } = content;
  return new MailComposer({
    from: content.from,
    to: content.to,
    subject: content.subject,
    text: content.text,
    html: content.html,
    date: content.date,
    messageId: `<${content.messageId}>`,
    headers: list
      ? {
          'List-Unsubscribe': `<${list.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }
      : {},
  })
    .compile()
    .build();
}

/** Times `messages` messages through our writer and `sample` through nodemailer's composer. */
export async function benchMime(messages = 100_000, sample = 2_000): Promise<MimeBench> {
  const contents = await digestContents(DISTINCT);
  const at = (i: number) => contents[i % DISTINCT] as MailContent;
  for (let i = 0; i < DISTINCT; i++) writeMail(at(i)); // warm-up: compiled code, not first calls
  let bytes = 0;
  const ours = await perMessage(messages, (i) => {
    bytes += writeMail(at(i)).raw.byteLength;
  });
  let floorBytes = 0;
  const floor = await perMessage(messages, (i) => {
    const { text, html } = at(i);
    floorBytes += Buffer.from(text).toString('base64').length;
    floorBytes += Buffer.from(html).toString('base64').length;
  });
  if (floorBytes === 0) throw new Error('nothing encoded');
  for (let i = 0; i < 50; i++) await nodemailer(at(i));
  const theirs = await perMessage(sample, (i) => nodemailer(at(i)));
  return {
    messages,
    meanBytes: bytes / messages,
    ours,
    nodemailer: theirs,
    floor,
    sample,
    ratio: theirs.cpuMs / ours.cpuMs,
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  process.stdout.write(`${JSON.stringify(await benchMime(), null, 2)}\n`);
}
