// What each command takes, for the usage and help messages: kept apart from the commands so that
// printing them loads none of them.

const BUILD_USAGE =
  'newsroom build --releases DIR --out DIR --site-url URL [--now ISO] [--site-config FILE]';
const VALIDATE_USAGE = 'newsroom validate FILE...';
const PREVIEW_USAGE = 'newsroom preview FILE --out DIR --site-url URL [--now ISO] [--releases DIR]';
const DIGEST_USAGE =
  'newsroom digest --releases DIR --out DIR --site-url URL --since ISO [--until ISO] [--lang fi|sv|en] [--frequency daily|weekly]';
const SEND_DIGEST_USAGE = 'newsroom send-digest --frequency daily|weekly [--now ISO] [--local]';

/** One command as `--help` describes it. */
export interface CommandHelp {
  usage: string;
  /** One line for the command list. */
  summary: string;
  /** Flags and arguments, one `name  meaning` line each. */
  options: readonly string[];
}

const SITE_URL =
  '--site-url URL    the public address of the site, e.g. https://tiedotteet.example.fi';
const NOW =
  '--now ISO         the moment to build for (default: now); releases dated later are embargoed';

/** Every command, in the order `newsroom --help` lists them. */
export const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  build: {
    usage: BUILD_USAGE,
    summary: 'build the whole public site (pages, feeds, sitemaps) from a folder of releases',
    options: [
      '--releases DIR    the folder of release files (.md), read recursively',
      '--out DIR         the folder to write the site into (created if missing)',
      SITE_URL,
      NOW,
    ],
  },
  validate: {
    usage: VALIDATE_USAGE,
    summary:
      'check release files before upload: PATH: ok, PATH:LINE: reason or PATH:LINE: warning: reason',
    options: ['FILE...           release files; exit 1 if any is invalid (warnings alone exit 0)'],
  },
  preview: {
    usage: PREVIEW_USAGE,
    summary: "write a release's page and its subscriber mail before residents see them",
    options: [
      'FILE              the release file',
      '--out DIR         writes DIR/page.html (the page as published), its pictures and attachments under',
      '                  DIR/media/ (the page shows those copies) and DIR/mail.eml (the immediate mail)',
      SITE_URL,
      NOW,
      '--releases DIR    the releases folder FILE is in, to find its media as the publisher does',
      '                  (default: the folder of FILE); exit 1 if a media file is missing or refused',
    ],
  },
  digest: {
    usage: DIGEST_USAGE,
    summary: 'write the digest a subscriber would get for releases published in a period',
    options: [
      '--releases DIR    the folder of release files',
      '--out DIR         writes digest.html, digest.txt and digest.eml',
      SITE_URL,
      '--since ISO       start of the period (exclusive)',
      '--until ISO       end of the period (inclusive; default now)',
      "--lang fi|sv|en   the subscriber's language (default the site's)",
      '--frequency daily|weekly',
    ],
  },
  'send-digest': {
    usage: SEND_DIGEST_USAGE,
    summary: 'run the scheduled digest now, against AWS or (--local) the local stack',
    options: [
      '--frequency daily|weekly',
      '--now ISO         the slot to run (default now); a slot already sent sends nothing again',
      '--local           use the running `npm start` stack',
    ],
  },
};

/** The usage lines of every command. */
export function usageText(): string {
  return ['Usage:', ...Object.values(COMMANDS).map((command) => `  ${command.usage}`)].join('\n');
}

/** `newsroom --help`. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    'newsroom: press releases into feeds, pages and mail.',
    '',
    'Usage: newsroom COMMAND [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(
      ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
    ),
    '',
    'newsroom COMMAND --help shows its options; newsroom --version its version.',
    'Problems print as PATH:LINE: reason, warnings as PATH:LINE: warning: reason.',
  ].join('\n');
}

/** `newsroom COMMAND --help`. */
export function commandHelp(name: string): string {
  const command = COMMANDS[name];
  if (command === undefined) return mainHelp();
  return [
    `Usage: ${command.usage}`,
    '',
    `${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.`,
    '',
    ...command.options.map((line) => `  ${line}`),
    '  -h, --help        show this help',
    '  --version         show the version',
  ].join('\n');
}
