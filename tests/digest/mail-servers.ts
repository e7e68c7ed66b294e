import { afterAll, beforeAll, beforeEach } from 'vitest';
import { loadTemplateSource, VariantCache } from '../../src/digest/templates.js';
import { createSesMailer } from '../../src/mail/ses-mailer.js';
import type { Mailer } from '../../src/shared/ports.js';
import { type LocalS3, startTestS3 } from '../support/s3.js';
import { type LocalSes, startLocalSes } from '../support/ses.js';
import { SITE } from './fixtures.js';

/** The real servers a digest delivery test sends through, ready from the file's `beforeAll` on. */
export interface MailServers {
  s3: LocalS3;
  ses: LocalSes;
  /** An SES mailer talking to `ses`. */
  mailer: Mailer;
  /** The compiled templates for the fixtures' site. */
  variants: VariantCache;
}

/**
 * Starts s3rver and the local SES endpoint once for the test file (stopped after it) and, with
 * `clearMailBetweenTests`, empties the SES mailbox before each test.
 */
export function mailServers(options: { clearMailBetweenTests?: boolean } = {}): MailServers {
  const servers = {} as MailServers;
  beforeAll(async () => {
    const [s3, ses] = await Promise.all([startTestS3(), startLocalSes()]);
    servers.s3 = s3;
    servers.ses = ses;
    servers.mailer = createSesMailer({ endpoint: ses.endpoint });
    servers.variants = new VariantCache(await loadTemplateSource(), SITE);
  });
  afterAll(async () => {
    await Promise.all([servers.s3?.stop(), servers.ses?.stop()]);
  });
  if (options.clearMailBetweenTests) {
    beforeEach(async () => {
      await servers.ses.clear();
    });
  }
  return servers;
}
