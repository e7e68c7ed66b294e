import { verify, X509Certificate } from 'node:crypto';

/** The fields of an SNS message as Lambda delivers it (`Records[].Sns`) or SNS POSTs it. */
export interface SnsMessage {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Subject?: string | null;
  Message: string;
  Timestamp: string;
  SignatureVersion?: string;
  Signature?: string;
  /** Lambda spells it `SigningCertUrl`, HTTP deliveries `SigningCertURL`. */
  SigningCertUrl?: string;
  SigningCertURL?: string;
}

/** Reads a certificate (PEM) from an https URL; injected so tests serve their own. */
export type FetchCertificate = (url: string) => Promise<string>;

/** What makes an SNS message one of ours. */
export interface SnsTrust {
  /** The topic SES publishes our bounces and complaints to (SES_NOTIFICATIONS_TOPIC_ARN). */
  topicArn: string;
  fetchCertificate: FetchCertificate;
  clock: () => Date;
}

/** Why a message was not accepted. */
export type SnsRefusal =
  | 'type'
  | 'topic'
  | 'certificate-url'
  | 'certificate'
  | 'signature-version'
  | 'signature';

/**
 * Whether an SNS message may be acted on: a `Notification` (not a subscription confirmation) from
 * the configured topic, and, when it carries a signature, one that verifies (version 1: SHA1,
 * version 2: SHA256) with a certificate fetched only from `https://sns.<region>.amazonaws.com/`,
 * the region being the topic's. A certificate that cannot be fetched throws (the invocation is
 * retried); everything else that fails is a refusal.
 */
export async function checkSnsMessage(
  message: SnsMessage,
  trust: SnsTrust,
): Promise<{ ok: true } | { ok: false; refusedBy: SnsRefusal }> {
  if (message.Type !== 'Notification') return { ok: false, refusedBy: 'type' };
  if (message.TopicArn !== trust.topicArn) return { ok: false, refusedBy: 'topic' };
  if (message.Signature === undefined || message.Signature === null) return { ok: true };
  const algorithm = { '1': 'sha1', '2': 'sha256' }[message.SignatureVersion ?? ''];
  if (algorithm === undefined) return { ok: false, refusedBy: 'signature-version' };
  const certificateUrl = message.SigningCertURL ?? message.SigningCertUrl ?? '';
  if (!isSnsCertificateUrl(certificateUrl, trust.topicArn)) {
    return { ok: false, refusedBy: 'certificate-url' };
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(await cachedCertificate(certificateUrl, trust));
  } catch {
    return { ok: false, refusedBy: 'certificate' };
  }
  const now = trust.clock().getTime();
  if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
    return { ok: false, refusedBy: 'certificate' };
  }
  const signed = Buffer.from(stringToSign(message), 'utf8');
  const signature = Buffer.from(message.Signature, 'base64');
  return verify(algorithm, signed, certificate.publicKey, signature)
    ? { ok: true }
    : { ok: false, refusedBy: 'signature' };
}

/** What SNS signs in a Notification: these fields, in this order, each as `name\nvalue\n`. */
export function stringToSign(message: SnsMessage): string {
  const fields: [string, string | null | undefined][] = [
    ['Message', message.Message],
    ['MessageId', message.MessageId],
    ['Subject', message.Subject],
    ['Timestamp', message.Timestamp],
    ['TopicArn', message.TopicArn],
    ['Type', message.Type],
  ];
  return fields
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `${name}\n${value}\n`)
    .join('');
}

function isSnsCertificateUrl(text: string, topicArn: string): boolean {
  const region = topicArn.split(':')[3] ?? '';
  try {
    const url = new URL(text);
    return (
      url.protocol === 'https:' &&
      url.hostname === `sns.${region}.amazonaws.com` &&
      url.port === '' &&
      url.username === '' &&
      url.password === '' &&
      url.pathname.endsWith('.pem')
    );
  } catch {
    return false;
  }
}

// A container sees the same few certificates over and over; SNS rotates them rarely.
const certificates = new Map<string, Promise<string>>();

function cachedCertificate(url: string, trust: SnsTrust): Promise<string> {
  let pem = certificates.get(url);
  if (pem === undefined) {
    pem = trust.fetchCertificate(url);
    pem.catch(() => certificates.delete(url));
    certificates.set(url, pem);
  }
  return pem;
}

/** Fetches a certificate over https, within five seconds. */
export const fetchCertificate: FetchCertificate = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' });
  if (!response.ok)
    throw new Error(`Fetching the SNS signing certificate answered ${response.status}`);
  return response.text();
};
