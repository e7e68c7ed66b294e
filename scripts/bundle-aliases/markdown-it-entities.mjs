// `entities` as markdown-it gets it in the Lambda bundles (scripts/bundle-plugins.cjs).
//
// markdown-it uses only `decodeHTML` and `decodeHTMLStrict` of its entities 4, whose ES build is
// not marked free of side effects, so its encoding tables come along too; the HTML parser under
// sanitize-html has its own (newer) entities decoder with the same tables. Bundled apart, that is ~50 KB
// parsed and two tables decoded at every cold start. Here markdown-it gets the parser's decoder;
// tests/infra/bundle-aliases.test.ts checks that it decodes every named entity, the numeric edge
// cases and random text exactly as entities 4 does.
export { decodeHTML, decodeHTMLStrict } from 'newsroom:html-parser-entities';
