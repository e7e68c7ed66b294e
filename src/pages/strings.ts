import { languageName } from '../feeds/scopes.js';

/** Languages the site's own texts (navigation, form, labels) are written in. */
export const UI_LANGS = ['fi', 'sv', 'en'] as const;

/** One of {@link UI_LANGS}. */
export type UiLang = (typeof UI_LANGS)[number];

/** The site's own texts in one language. */
export interface UiStrings {
  /** The language these texts are in. */
  lang: UiLang;
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
  /** Label of the header's language switch. */
  otherLanguages: string;
  /** A link to this page in the language, written in that language: `På svenska`. */
  inThisLanguage: string;
  /** Lead-in of the visible translations line: `Tämä tiedote muilla kielillä`. */
  translations: string;
  privacy: string;
  /** The subscribe form's link to the privacy notice. */
  privacyNotice: string;
  accessibility: string;
  notFoundTitle: string;
  notFoundText: string;
  withdrawnTitle: string;
  /** `Tiedote … poistettiin 3.5.2024.`: the title and the date, as HTML-safe parts. */
  withdrawnText: (title: string, date: string) => string;
  /** When the release was published, before its withdrawal. */
  withdrawnPublished: string;
  backToFrontPage: string;
}

const STRINGS: Record<UiLang, UiStrings> = {
  fi: {
    lang: 'fi',
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
    otherLanguages: 'Muilla kielillä',
    inThisLanguage: 'Suomeksi',
    translations: 'Tämä tiedote muilla kielillä',
    privacy: 'Tietosuoja',
    privacyNotice: 'Näin käsittelemme tietojasi (tietosuojaseloste)',
    accessibility: 'Saavutettavuusseloste',
    notFoundTitle: 'Sivua ei löytynyt',
    notFoundText:
      'Osoitteessa ei ole sivua. Tarkista osoite tai siirry etusivulle, jossa ovat uusimmat tiedotteet ja arkisto.',
    withdrawnTitle: 'Tämä tiedote on poistettu',
    withdrawnText: (title, date) => `Tiedote ”${title}” on poistettu ${date}.`,
    withdrawnPublished: 'Julkaistu alun perin',
    backToFrontPage: 'Siirry etusivulle',
  },
  sv: {
    lang: 'sv',
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
    otherLanguages: 'På andra språk',
    inThisLanguage: 'På svenska',
    translations: 'Det här pressmeddelandet på andra språk',
    privacy: 'Dataskydd',
    privacyNotice: 'Så behandlar vi dina uppgifter (dataskyddsbeskrivning)',
    accessibility: 'Tillgänglighetsutlåtande',
    notFoundTitle: 'Sidan hittades inte',
    notFoundText:
      'Det finns ingen sida på den här adressen. Kontrollera adressen eller gå till startsidan med de senaste pressmeddelandena och arkivet.',
    withdrawnTitle: 'Det här pressmeddelandet har tagits bort',
    withdrawnText: (title, date) => `Pressmeddelandet ”${title}” togs bort ${date}.`,
    withdrawnPublished: 'Ursprungligen publicerat',
    backToFrontPage: 'Gå till startsidan',
  },
  en: {
    lang: 'en',
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
    otherLanguages: 'Other languages',
    inThisLanguage: 'In English',
    translations: 'This release in other languages',
    privacy: 'Privacy',
    privacyNotice: 'How we handle your data (privacy notice)',
    accessibility: 'Accessibility statement',
    notFoundTitle: 'Page not found',
    notFoundText:
      'There is no page at this address. Check the address, or go to the front page for the latest releases and the archive.',
    withdrawnTitle: 'This release has been withdrawn',
    withdrawnText: (title, date) => `The release “${title}” was withdrawn on ${date}.`,
    withdrawnPublished: 'Originally published',
    backToFrontPage: 'Go to the front page',
  },
};

/**
 * A link text to a version in `lang`, written in that language: `Suomeksi`, `På svenska`,
 * `In English`; other languages by their own name (`العربية`).
 */
export function inLanguage(lang: string): string {
  return (UI_LANGS as readonly string[]).includes(lang)
    ? STRINGS[lang as UiLang].inThisLanguage
    : languageName(lang);
}

/** The UI language for content in `lang`: itself when we have texts for it, else English. */
export function uiLang(lang: string): UiLang {
  return (UI_LANGS as readonly string[]).includes(lang) ? (lang as UiLang) : 'en';
}

/** The site's texts for content in `lang` (see {@link uiLang}). */
export function stringsFor(lang: string): UiStrings {
  return STRINGS[uiLang(lang)];
}
