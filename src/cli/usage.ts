// What each command takes, for the usage message: kept apart from the commands so that printing
// it loads none of them.

export const BUILD_USAGE =
  'newsroom build --releases DIR --out DIR --site-url URL [--now ISO] [--site-config FILE]';
export const VALIDATE_USAGE = 'newsroom validate FILE...';
export const DIGEST_USAGE =
  'newsroom digest --releases DIR --out DIR --site-url URL --since ISO [--until ISO] [--lang fi|sv|en] [--frequency daily|weekly]';
export const SEND_DIGEST_USAGE =
  'newsroom send-digest --frequency daily|weekly [--now ISO] [--local]';
