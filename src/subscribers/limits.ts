import { isIP } from 'node:net';
import * as v from 'valibot';
import { parseDuration } from '../release/newness.js';
import {
  DEFAULT_RETRY,
  type DocumentSchema,
  type RetryPolicy,
  updateDocument,
} from '../shared/document-store.js';
import type { ObjectStore } from '../shared/ports.js';
import { hashAddress, type SubscriberKeys } from './keys.js';

/** At most `count` confirmation mails within any `windowMs`. */
export interface RateRule {
  count: number;
  windowMs: number;
}

/** How many confirmation mails the subscribe form may cause (docs/subscriptions.md, "Abuse"). */
export interface ConfirmationLimits {
  /** Per mailbox, spellings folded together (see {@link limitMailbox}). */
  mailbox: RateRule[];
  /** Per client network: IPv4 /24, IPv6 /56. */
  network: RateRule[];
  /** For the whole site per clock hour (UTC), so sign-ups never eat the digests' SES quota. */
  globalPerHour: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_CONFIRMATION_LIMITS: ConfirmationLimits = {
  mailbox: [
    { count: 1, windowMs: 10 * MINUTE },
    { count: 3, windowMs: 24 * HOUR },
  ],
  network: [{ count: 20, windowMs: HOUR }],
  globalPerHour: 300,
};

/**
 * Reads rules written as `count/duration`, comma-separated: `1/10m,3/24h` (durations as
 * `NOTIFY_MAX_AGE`: m, h, d; a bare number is hours).
 *
 * @returns the rules, or `undefined` when the text is not such a list.
 */
export function parseRateRules(text: string): RateRule[] | undefined {
  const rules = text.split(',').map((part) => {
    const [count, duration] = part.trim().split('/');
    const windowMs = parseDuration(duration ?? '');
    const n = Number(count);
    return Number.isInteger(n) && n > 0 && windowMs ? { count: n, windowMs } : undefined;
  });
  return rules.every((rule) => rule !== undefined) ? rules : undefined;
}

/** Which limit refused a confirmation mail. */
type LimitRefusal = 'mailbox' | 'network' | 'global';

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address reaches, for counting only (mail still goes to the address as typed):
 * `+tag` dropped for every domain, and for gmail.com / googlemail.com the dots too, both domains
 * as one. Expects an address from `parseAddress` (lowercase, IDN domain already in punycode).
 */
export function limitMailbox(address: string): string {
  const at = address.lastIndexOf('@');
  let local = address.slice(0, at).replace(/\+.*$/, '');
  let domain = address.slice(at + 1);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local || address.slice(0, at)}@${domain}`;
}

/**
 * The client network a source IP belongs to: its IPv4 /24 or IPv6 /56 (an IPv4-mapped IPv6
 * address counts as IPv4); `undefined` when the text is not an IP address.
 */
export function clientNetwork(ip: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const version = isIP(address);
  if (version === 4) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (version !== 6) return undefined;
  const groups = expandIpv6(address);
  const prefix = groups.slice(0, 4);
  prefix[3] = ((Number.parseInt(prefix[3] ?? '0', 16) & 0xff00) >>> 0).toString(16);
  return `${prefix.map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/56`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.replace(/%.*$/, '').split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // A trailing dotted quad (::ffff:1.2.3.4 in other forms) fills the last two groups.
  const last = right.length > 0 ? right : left;
  const quad = last[last.length - 1];
  if (quad?.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = quad.split('.').map(Number);
    last.splice(last.length - 1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const fill = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return tail === undefined ? left : [...left, ...fill, ...right];
}

const LIMITS_PREFIX = 'subscribers/throttle/';

interface Window {
  sent: string[];
}

const windowSchema: DocumentSchema<Window> = v.object({ sent: v.array(v.string()) });

const countSchema: DocumentSchema<{ count: number }> = v.object({ count: v.number() });

/** A granted confirmation mail; give it back with `release()` when the mail could not be sent. */
interface ClaimedSlot {
  release(): Promise<void>;
}

export type ClaimResult = { ok: true; slot: ClaimedSlot } | { ok: false; refusedBy: LimitRefusal };

/**
 * Counts confirmation mails per mailbox, per client network and per hour for the whole site, in
 * small objects under `subscribers/throttle/` written with conditional writes (simultaneous
 * sign-ups are counted exactly). Keys are keyed hashes: no address or IP in any key or body.
 */
export class ConfirmationLimiter {
  constructor(
    private readonly store: ObjectStore,
    private readonly keys: SubscriberKeys,
    private readonly limits: ConfirmationLimits = DEFAULT_CONFIRMATION_LIMITS,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /**
   * Takes one confirmation mail from every limit that applies, or none: a later limit's refusal
   * gives back what the earlier ones granted.
   */
  async claim(address: string, sourceIp: string, now: Date): Promise<ClaimResult> {
    const at = now.toISOString();
    const mailboxKey = this.windowKey('mailbox', limitMailbox(address));
    if (!(await this.take(mailboxKey, this.limits.mailbox, now))) {
      return { ok: false, refusedBy: 'mailbox' };
    }
    const network = clientNetwork(sourceIp);
    const networkKey = network === undefined ? undefined : this.windowKey('network', network);
    if (networkKey && !(await this.take(networkKey, this.limits.network, now))) {
      await this.giveBack(mailboxKey, at);
      return { ok: false, refusedBy: 'network' };
    }
    const hourKey = `${LIMITS_PREFIX}global/${at.slice(0, 13)}.json`;
    if (!(await this.count(hourKey, 1))) {
      await Promise.all([
        this.giveBack(mailboxKey, at),
        networkKey && this.giveBack(networkKey, at),
      ]);
      return { ok: false, refusedBy: 'global' };
    }
    const release = async () => {
      await Promise.all([
        this.giveBack(mailboxKey, at),
        networkKey && this.giveBack(networkKey, at),
        this.count(hourKey, -1),
      ]);
    };
    return { ok: true, slot: { release } };
  }

  private windowKey(kind: 'mailbox' | 'network', value: string): string {
    return `${LIMITS_PREFIX}${kind}/${hashAddress(this.keys, `${kind}:${value}`)}.json`;
  }

  /** Adds `now` to a sliding window unless a rule is full; old entries are pruned. */
  private take(key: string, rules: RateRule[], now: Date): Promise<boolean> {
    const longest = Math.max(0, ...rules.map((rule) => rule.windowMs));
    return updateDocument(
      this.store,
      key,
      windowSchema,
      (current) => {
        const sent = (current?.sent ?? []).filter((s) => now.getTime() - Date.parse(s) < longest);
        const full = rules.some(
          (rule) =>
            sent.filter((s) => now.getTime() - Date.parse(s) < rule.windowMs).length >= rule.count,
        );
        if (full) return { change: { keep: true }, result: false };
        return { change: { write: { sent: [...sent, now.toISOString()] } }, result: true };
      },
      this.retry,
    );
  }

  private giveBack(key: string, at: string): Promise<void> {
    return updateDocument(
      this.store,
      key,
      windowSchema,
      (current) => {
        const index = current?.sent.indexOf(at) ?? -1;
        if (current === undefined || index < 0)
          return { change: { keep: true }, result: undefined };
        const sent = current.sent.filter((_, i) => i !== index);
        return { change: { write: { sent } }, result: undefined };
      },
      this.retry,
    );
  }

  /** Adds `delta` to an hour's count unless that would pass the global cap. */
  private count(key: string, delta: 1 | -1): Promise<boolean> {
    return updateDocument(
      this.store,
      key,
      countSchema,
      (current) => {
        const count = (current?.count ?? 0) + delta;
        if (count > this.limits.globalPerHour) return { change: { keep: true }, result: false };
        return { change: { write: { count: Math.max(0, count) } }, result: true };
      },
      this.retry,
    );
  }
}
