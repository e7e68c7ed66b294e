/** Languages the site's own texts (navigation, form, labels) are written in. */
export const UI_LANGS = ['fi', 'sv', 'en'] as const;

/** One of {@link UI_LANGS}. */
export type UiLang = (typeof UI_LANGS)[number];

/** The site's own texts in one language. */
export interface UiStrings {
  skipToContent: string;
  /** Heading of the latest-releases list, and the feeds' description. */
  latestReleases: string;
  noReleases: string;
  frontPage: string;
  feeds: string;
  allReleases: string;
  byCategory: string;
  byLanguage: string;
  archive: string;
  archiveTitle: (year: number) => string;
  published: string;
  updated: string;
  author: string;
  category: string;
  subscribe: string;
  email: string;
  language: string;
  categories: string;
  categoriesHint: string;
  frequency: string;
  immediate: string;
  daily: string;
  weekly: string;
  honeypot: string;
  submit: string;
}

const STRINGS: Record<UiLang, UiStrings> = {
  fi: {
    skipToContent: 'Siirry sisältöön',
    latestReleases: 'Uusimmat tiedotteet',
    noReleases: 'Tiedotteita ei vielä ole.',
    frontPage: 'Etusivu',
    feeds: 'Syötteet',
    allReleases: 'Kaikki tiedotteet',
    byCategory: 'Aiheittain',
    byLanguage: 'Kielittäin',
    archive: 'Arkisto',
    archiveTitle: (year) => `Tiedotteet vuodelta ${year}`,
    published: 'Julkaistu',
    updated: 'Päivitetty',
    author: 'Laatija',
    category: 'Aihe',
    subscribe: 'Tilaa tiedotteet sähköpostiisi',
    email: 'Sähköpostiosoite',
    language: 'Kieli',
    categories: 'Aiheet',
    categoriesHint: 'Jos et valitse yhtään, saat kaikki.',
    frequency: 'Kuinka usein',
    immediate: 'Heti',
    daily: 'Kerran päivässä',
    weekly: 'Kerran viikossa',
    honeypot: 'Jätä tämä kenttä tyhjäksi',
    submit: 'Tilaa',
  },
  sv: {
    skipToContent: 'Hoppa till innehållet',
    latestReleases: 'Senaste pressmeddelanden',
    noReleases: 'Inga pressmeddelanden ännu.',
    frontPage: 'Startsida',
    feeds: 'Flöden',
    allReleases: 'Alla pressmeddelanden',
    byCategory: 'Per ämne',
    byLanguage: 'Per språk',
    archive: 'Arkiv',
    archiveTitle: (year) => `Pressmeddelanden från ${year}`,
    published: 'Publicerad',
    updated: 'Uppdaterad',
    author: 'Avsändare',
    category: 'Ämne',
    subscribe: 'Prenumerera på pressmeddelanden per e-post',
    email: 'E-postadress',
    language: 'Språk',
    categories: 'Ämnen',
    categoriesHint: 'Väljer du inget får du alla.',
    frequency: 'Hur ofta',
    immediate: 'Genast',
    daily: 'En gång om dagen',
    weekly: 'En gång i veckan',
    honeypot: 'Lämna detta fält tomt',
    submit: 'Prenumerera',
  },
  en: {
    skipToContent: 'Skip to content',
    latestReleases: 'Latest releases',
    noReleases: 'No releases yet.',
    frontPage: 'Front page',
    feeds: 'Feeds',
    allReleases: 'All releases',
    byCategory: 'By topic',
    byLanguage: 'By language',
    archive: 'Archive',
    archiveTitle: (year) => `Releases from ${year}`,
    published: 'Published',
    updated: 'Updated',
    author: 'Author',
    category: 'Topic',
    subscribe: 'Get releases by email',
    email: 'Email address',
    language: 'Language',
    categories: 'Topics',
    categoriesHint: 'Choose none to get all of them.',
    frequency: 'How often',
    immediate: 'Immediately',
    daily: 'Once a day',
    weekly: 'Once a week',
    honeypot: 'Leave this field empty',
    submit: 'Subscribe',
  },
};

/** The UI language for content in `lang`: itself when we have texts for it, else English. */
export function uiLang(lang: string): UiLang {
  return (UI_LANGS as readonly string[]).includes(lang) ? (lang as UiLang) : 'en';
}

/** The site's texts for content in `lang` (see {@link uiLang}). */
export function stringsFor(lang: string): UiStrings {
  return STRINGS[uiLang(lang)];
}
