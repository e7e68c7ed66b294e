import { type PreviewServing, servePreview, servePreviewMedia } from '../../drafts/serve.js';
import { describeError } from '../../observability/log.js';
import { uiStrings } from '../../shared/strings.js';
import { parseAddress } from '../address.js';
import {
  confirmSubscription,
  exportSubscriberData,
  findManagedSubscriber,
  removeSubscriber,
  requestSubscription,
  type SubscriptionDeps,
  subscriberLinks,
  updatePreferences,
} from '../subscriptions.js';
import { verifyToken } from '../tokens.js';
import { type Frequency, isFrequency, isLang, type Lang, type Preferences } from '../types.js';
import {
  type CategoryOption,
  confirmedPage,
  htmlPage,
  messagePage,
  notSubscribedPage,
  type PageSite,
  paragraph,
  preferencesPage,
  subscribeErrorPage,
  unsubscribePage,
} from './pages.js';
import {
  type ApiRequest,
  type ApiResponse,
  checkBodySize,
  type Fields,
  HttpProblem,
  isCrossSite,
  isJsonRequest,
  type ParsedBody,
  parseBody,
  pickLang,
  prefersJson,
} from './request.js';

/** What the HTTP API needs beyond the subscription operations. */
export interface SubscriptionsApiDeps extends SubscriptionDeps {
  siteTitle: string;
  /** The organisation's name per page language (the site's branding); `siteTitle` otherwise. */
  siteNames?: Readonly<Record<string, string>>;
  /** Language of pages when nothing else tells. */
  defaultLang: Lang;
  /** Categories offered on the preferences page besides the subscriber's own. */
  categories?: () => Promise<CategoryOption[]>;
  /** Origins besides the site's own whose pages may POST here (an embedded subscribe form). */
  allowedOrigins?: readonly string[];
  /**
   * Every sign-up is answered this long after it arrived (0: at once), so the answer's timing does
   * not tell a new, a throttled and a suppressed address apart.
   */
  subscribeAnswerMs?: number;
  /**
   * Draft previews for staff (`/api/preview?token=…` and their media, `/api/preview/media`);
   * without it those routes answer 404.
   */
  previews?: PreviewServing;
}

/** Frequency of a sign-up that does not name one. */
const DEFAULT_FREQUENCY: Frequency = 'daily';

const CATEGORY_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_CATEGORIES = 100;
const MAX_HEADER_TEXT = 512;
/** What the error page echoes of a typed address: enough for any real one (254) and a typo. */
const MAX_TYPED_EMAIL = 320;

type Handler = (request: ApiRequest, context: Context) => Promise<ApiResponse>;

interface Context {
  deps: SubscriptionsApiDeps;
  site: PageSite;
  /** Language to answer in; handlers refine it (lang field, subscriber) as they learn more. */
  lang: Lang;
}

const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  '/api/subscribe': { POST: subscribe },
  '/api/confirm': { GET: confirm },
  '/api/unsubscribe': { GET: askUnsubscribe, POST: unsubscribe },
  '/api/preferences': { GET: showPreferences, POST: changePreferences },
  '/api/preview': { GET: showPreview },
  '/api/preview/media': { GET: showPreviewMedia },
};

async function showPreview(request: ApiRequest, context: Context): Promise<ApiResponse> {
  const previews = context.deps.previews;
  if (previews === undefined) throw new HttpProblem(404, 'not-found');
  return servePreview(previews, request.query.get('token') ?? '', context.lang);
}

async function showPreviewMedia(request: ApiRequest, context: Context): Promise<ApiResponse> {
  const previews = context.deps.previews;
  if (previews === undefined) throw new HttpProblem(404, 'not-found');
  const { query } = request;
  return servePreviewMedia(
    previews,
    query.get('token') ?? '',
    query.get('path') ?? '',
    context.lang,
  );
}

/**
 * The subscriptions HTTP API (`/api/subscribe`, `/api/confirm`, `/api/unsubscribe`,
 * `/api/preferences`) as a function from request to response. Known problems answer 4xx in the
 * visitor's language; anything else is logged (without addresses) and answers a generic 500.
 */
export function createSubscriptionsApi(
  deps: SubscriptionsApiDeps,
): (request: ApiRequest) => Promise<ApiResponse> {
  const site: PageSite = {
    title: deps.siteTitle,
    url: deps.siteUrl,
    ...(deps.siteNames === undefined ? {} : { names: deps.siteNames }),
  };
  const siteOrigin = new URL(deps.siteUrl).origin;
  return async (request) => {
    const context: Context = { deps, site, lang: pickLang(request, deps.defaultLang) };
    try {
      const route = ROUTES[request.path.replace(/\/+$/, '')];
      if (route === undefined) throw new HttpProblem(404, 'not-found');
      const method = request.method.toUpperCase();
      const handler = route[method === 'HEAD' ? 'GET' : method];
      if (handler === undefined) {
        throw new HttpProblem(405, 'method', { allow: Object.keys(route).join(', ') });
      }
      checkBodySize(request);
      // A page elsewhere must not act for a resident; RFC 8058 one-click POSTs come from mail
      // providers without Origin, and the unsubscribe token alone is their authority.
      if (method === 'POST' && route !== ROUTES['/api/unsubscribe']) {
        if (isCrossSite(request, siteOrigin, deps.allowedOrigins ?? [])) {
          throw new HttpProblem(403, 'origin');
        }
      }
      const response = await handler(request, context);
      return method === 'HEAD' ? { ...response, body: '' } : response;
    } catch (error) {
      if (error instanceof HttpProblem) return problemResponse(request, context, error);
      deps.log({
        level: 'error',
        event: 'api.failed',
        path: request.path,
        ...describeError(error),
      });
      return serverError(request, context);
    }
  };
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
    body: JSON.stringify(value),
  };
}

function wantsJson(request: ApiRequest): boolean {
  return isJsonRequest(request) || prefersJson(request);
}

function problemResponse(request: ApiRequest, context: Context, problem: HttpProblem) {
  const t = uiStrings(context.lang).subscription.errors;
  const message = t[problem.code];
  if (wantsJson(request)) {
    const field = problem.field === undefined ? {} : { field: problem.field };
    return json(problem.status, { error: problem.code, message, ...field }, problem.headers);
  }
  return htmlPage(
    problem.status,
    context.lang,
    context.site,
    t.title,
    paragraph(message, context.site),
    problem.headers,
  );
}

function serverError(request: ApiRequest, context: Context): ApiResponse {
  const t = uiStrings(context.lang).subscription.errors;
  if (wantsJson(request)) return json(500, { error: 'server', message: t.server });
  return htmlPage(
    500,
    context.lang,
    context.site,
    t['server-title'],
    paragraph(t.server, context.site),
  );
}

function header(request: ApiRequest, name: string): string {
  return (request.headers[name] ?? '').slice(0, MAX_HEADER_TEXT);
}

/** The form page the sign-up came from, when it is a page of this site (no query, no fragment). */
function formPage(request: ApiRequest, siteUrl: string): string | undefined {
  const referer = request.headers.referer;
  if (referer === undefined) return undefined;
  try {
    const url = new URL(referer);
    const page = `${url.origin}${url.pathname}`;
    return page.startsWith(`${siteUrl}/`) ? page.slice(0, MAX_HEADER_TEXT) : undefined;
  } catch {
    return undefined;
  }
}

/** Language field of a body: absent is fine, anything we do not speak is a 400. */
function langField(fields: Fields): Lang | undefined {
  const value = fields.get('lang') ?? fields.get('language');
  if (value === undefined || value === '') return undefined;
  if (!isLang(value)) throw new HttpProblem(400, 'lang');
  return value;
}

function frequencyField(fields: Fields): Frequency | undefined {
  const value = fields.get('frequency');
  if (value === undefined || value === '') return undefined;
  if (!isFrequency(value)) throw new HttpProblem(400, 'frequency');
  return value;
}

/** Category slugs; none, or `all`, means every category. */
function categoriesField(fields: Fields): string[] {
  const values = fields.getAll('categories').filter((v) => v !== '');
  if (values.includes('all')) return [];
  if (values.length > MAX_CATEGORIES) throw new HttpProblem(400, 'categories');
  if (!values.every((v) => v.length <= 80 && CATEGORY_SLUG.test(v))) {
    throw new HttpProblem(400, 'categories');
  }
  return [...new Set(values)].sort();
}

function token(request: ApiRequest): string {
  const value = request.query.get('token');
  if (value === null || value === '') throw new HttpProblem(400, 'token');
  return value;
}

async function subscribe(request: ApiRequest, context: Context): Promise<ApiResponse> {
  const arrived = performance.now();
  const body = parseBody(request);
  try {
    return await subscribeWith(body, request, context, arrived);
  } catch (error) {
    if (!(error instanceof HttpProblem) || body.kind !== 'form' || wantsJson(request)) throw error;
    return subscribeFormProblem(error, body, request, context);
  }
}

/**
 * A sign-up from the HTML form that cannot be accepted: the error page keeps what was typed and
 * offers the form again, and a way back to the page it came from.
 */
async function subscribeFormProblem(
  problem: HttpProblem,
  body: ParsedBody,
  request: ApiRequest,
  context: Context,
): Promise<ApiResponse> {
  const typedLang = body.fields.get('lang');
  const lang = typedLang !== undefined && isLang(typedLang) ? typedLang : context.lang;
  const typed = {
    email: (body.fields.get('email') ?? '').slice(0, MAX_TYPED_EMAIL),
    lang,
    categories: body.fields.getAll('categories'),
    frequency: body.fields.get('frequency') ?? DEFAULT_FREQUENCY,
    emailInvalid: problem.code.startsWith('email-'),
  };
  const message = uiStrings(lang).subscription.errors[problem.code];
  const back = formPage(request, context.deps.siteUrl) ?? `${context.deps.siteUrl}/#subscribe`;
  const options = await categoryOptions(context);
  const page = subscribeErrorPage(problem.status, message, typed, options, context.site, back);
  return { ...page, headers: { ...page.headers, ...problem.headers } };
}

async function subscribeWith(
  body: ParsedBody,
  request: ApiRequest,
  context: Context,
  arrived: number,
): Promise<ApiResponse> {
  const lang = langField(body.fields) ?? context.lang;
  context.lang = lang;
  const neutral = async () => {
    await answerAt(arrived, context.deps);
    return subscribedResponse(body, context);
  };
  // Bots fill every field; people never see this one. Answer as if all went well.
  if (body.fields.getAll('website').some((value) => value !== '')) {
    context.deps.log({ level: 'info', event: 'subscribe.honeypot' });
    return neutral();
  }
  const parsed = parseAddress(body.fields.get('email') ?? '');
  if (!parsed.ok) throw new HttpProblem(400, `email-${parsed.problem}` as const);
  const preferences: Preferences = {
    lang,
    categories: categoriesField(body.fields),
    frequency: frequencyField(body.fields) ?? DEFAULT_FREQUENCY,
  };
  const page = formPage(request, context.deps.siteUrl);
  await requestSubscription(context.deps, {
    address: parsed.address,
    preferences,
    evidence: {
      ip: request.sourceIp,
      userAgent: header(request, 'user-agent'),
      channel: body.kind === 'form' ? 'html-form' : 'json',
      lang,
      ...(page ? { page } : {}),
    },
  });
  return neutral();
}

/** Waits until `arrived + subscribeAnswerMs`; a sign-up that took longer is logged. */
async function answerAt(arrived: number, deps: SubscriptionsApiDeps): Promise<void> {
  const padMs = deps.subscribeAnswerMs ?? 0;
  if (padMs <= 0) return;
  const left = arrived + padMs - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  else deps.log({ level: 'warn', event: 'subscribe.slow-answer', ms: Math.round(padMs - left) });
}

function subscribedResponse(body: ParsedBody, context: Context): ApiResponse {
  const t = uiStrings(context.lang).subscription.subscribed;
  if (body.kind === 'json') return json(202, { status: 'pending', message: t.body });
  return messagePage(200, context.lang, context.site, (s) => s.subscription.subscribed);
}

async function confirm(request: ApiRequest, context: Context): Promise<ApiResponse> {
  const outcome = await confirmSubscription(context.deps, token(request), {
    ip: request.sourceIp,
    userAgent: header(request, 'user-agent'),
  });
  switch (outcome.kind) {
    case 'confirmed': {
      const { subscriber } = outcome;
      const links = subscriberLinks(context.deps.keys, context.deps.siteUrl, subscriber.id);
      const options = await categoryOptions(context);
      return confirmedPage(subscriber, options, context.site, links.preferencesUrl);
    }
    case 'expired':
      return messagePage(410, context.lang, context.site, (t) => t.subscription.expired);
    case 'refused':
      return messagePage(403, outcome.lang, context.site, (t) => t.subscription.refused);
    default:
      return messagePage(400, context.lang, context.site, (t) => t.subscription.invalid);
  }
}

async function askUnsubscribe(request: ApiRequest, context: Context): Promise<ApiResponse> {
  const subscriber = await findManagedSubscriber(context.deps, token(request));
  // A removed subscriber's link still shows the button: unsubscribing again is harmless.
  if (subscriber === undefined && !isOurManageToken(context, request)) {
    return messagePage(400, context.lang, context.site, (t) => t.subscription.invalid);
  }
  return unsubscribePage(subscriber?.lang ?? context.lang, context.site);
}

function isOurManageToken(context: Context, request: ApiRequest): boolean {
  return verifyToken(context.deps.keys, token(request), 'manage', context.deps.clock()).ok;
}

async function unsubscribe(request: ApiRequest, context: Context): Promise<ApiResponse> {
  // The body is not read: the button and RFC 8058 clients (List-Unsubscribe=One-Click) both land
  // here, and the token in the URL is all the authority needed.
  const outcome = await removeSubscriber(context.deps, token(request));
  if (outcome.kind === 'invalid') {
    return messagePage(400, context.lang, context.site, (t) => t.subscription.invalid);
  }
  return messagePage(
    200,
    outcome.lang ?? context.lang,
    context.site,
    (t) => t.subscription.unsubscribed,
  );
}

async function showPreferences(request: ApiRequest, context: Context): Promise<ApiResponse> {
  const manageToken = token(request);
  const subscriber = await findManagedSubscriber(context.deps, manageToken);
  if (subscriber === undefined) return missingSubscriberPage(context, manageToken);
  if (prefersJson(request)) {
    const { lang, categories, frequency } = subscriber;
    return json(200, { lang, categories, frequency });
  }
  return preferencesPage(subscriber, await categoryOptions(context), context.site, false);
}

/**
 * A manage link whose subscriber is gone: a genuine token (the subscriber unsubscribed or deleted
 * their data) gets "you are no longer subscribed" with a way to subscribe again; anything else
 * the broken-link page.
 */
function missingSubscriberPage(context: Context, manageToken: string): ApiResponse {
  const check = verifyToken(context.deps.keys, manageToken, 'manage', context.deps.clock());
  if (check.ok) return notSubscribedPage(context.lang, context.site);
  return messagePage(400, context.lang, context.site, (t) => t.subscription.invalid);
}

async function categoryOptions(context: Context): Promise<CategoryOption[]> {
  try {
    return (await context.deps.categories?.()) ?? [];
  } catch (error) {
    // The page still works with the subscriber's own categories.
    context.deps.log({
      level: 'warn',
      event: 'api.categories-unavailable',
      ...describeError(error),
    });
    return [];
  }
}

async function changePreferences(request: ApiRequest, context: Context): Promise<ApiResponse> {
  const body = parseBody(request);
  const manageToken = token(request);
  const subscriber = await findManagedSubscriber(context.deps, manageToken);
  if (subscriber === undefined) {
    if (body.kind === 'json') throw new HttpProblem(400, 'token');
    return missingSubscriberPage(context, manageToken);
  }
  context.lang = subscriber.lang;
  const action = body.fields.get('action') ?? 'save';
  if (action === 'export') {
    const data = await exportSubscriberData(context.deps, subscriber);
    return json(200, data, {
      'content-disposition': 'attachment; filename="subscription-data.json"',
    });
  }
  if (action === 'delete') {
    await removeSubscriber(context.deps, manageToken);
    if (body.kind === 'json') return json(200, { status: 'deleted' });
    return messagePage(200, subscriber.lang, context.site, (t) => t.subscription.deleted);
  }
  if (action !== 'save') throw new HttpProblem(400, 'action');
  // Ticking a category means "only these", whichever scope button is on; "all" wins only when
  // the boxes were left as they were.
  const ticked = categoriesField(body.fields);
  const untouched = ticked.join('\n') === [...subscriber.categories].sort().join('\n');
  const categories = body.fields.get('scope') === 'all' && untouched ? [] : ticked;
  const preferences: Preferences = {
    lang: langField(body.fields) ?? subscriber.lang,
    frequency: frequencyField(body.fields) ?? subscriber.frequency,
    categories,
  };
  const updated = await updatePreferences(context.deps, subscriber.id, preferences);
  if (updated === undefined) {
    return messagePage(400, context.lang, context.site, (t) => t.subscription.invalid);
  }
  if (body.kind === 'json') {
    const { lang, frequency } = updated;
    return json(200, { status: 'saved', lang, categories: updated.categories, frequency });
  }
  return preferencesPage(updated, await categoryOptions(context), context.site, true);
}
