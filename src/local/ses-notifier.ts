import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Notifier, PipelineNotice, ReleasePublishedNotice } from '../pipeline/notifier.js';
import { reportSummary } from '../pipeline/reports.js';

/** Options of {@link LocalMailNotifier}. */
export interface LocalMailNotifierOptions {
  /** The local SES endpoint (aws-ses-v2-local). */
  sesEndpoint: string;
  /** Sender of staff mail. */
  from: string;
  /** Called for first publications (the digest code hooks its immediate sender in here). */
  onPublished?: (notice: ReleasePublishedNotice) => Promise<void> | void;
}

/**
 * The local stack's {@link Notifier}: in AWS the notice would go to the queue and a mail function
 * would tell staff; here the same notice is mailed at once through the local SES endpoint, so it
 * shows up in the mail viewer.
 */
export class LocalMailNotifier implements Notifier {
  readonly #ses: SESClient;

  constructor(private readonly options: LocalMailNotifierOptions) {
    this.#ses = new SESClient({
      endpoint: options.sesEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  async notify(notice: PipelineNotice): Promise<void> {
    if (notice.type === 'release-published') {
      await this.options.onPublished?.(notice);
      return;
    }
    const { report } = notice;
    await this.#ses.send(
      new SendEmailCommand({
        Source: this.options.from,
        Destination: { ToAddresses: [notice.to] },
        Message: {
          Subject: {
            Data: `Tiedotetta ei julkaistu / Release not published: ${report.file}`,
            Charset: 'UTF-8',
          },
          Body: {
            Text: {
              Charset: 'UTF-8',
              Data: [
                report.message,
                '',
                reportSummary(report),
                `Report: reports/${report.file}.json`,
                `When: ${report.when}`,
              ].join('\n'),
            },
          },
        },
      }),
    );
  }

  /** Closes the SES client's connections. */
  close(): void {
    this.#ses.destroy();
  }
}
