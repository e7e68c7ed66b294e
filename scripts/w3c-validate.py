#!/usr/bin/python3
"""Validate every feed of a built site with the W3C Feed Validation Service's own code.

Usage: /usr/bin/python3 scripts/w3c-validate.py VALIDATOR_CHECKOUT SITE_DIR SITE_URL

VALIDATOR_CHECKOUT is a checkout of https://github.com/w3c/feedvalidator (not part of this
project; it needs Debian's python3-html5lib, python3-rdflib and python3-lxml). SITE_DIR is a
directory written by `newsroom build`; every atom.xml, rss.xml and feed.json under its feeds/
folder is validated as if served at SITE_URL/<path> with our Content-Type, which is how the online
service sees it. Prints every error, warning and informational note (the online service shows the
first two) and exits 1 when an Atom or RSS feed has any error or warning.

The validator has no JSON Feed support: it parses feed.json as XML and reports a parse error. Its
verdict on feed.json is printed for the record but does not fail the run; the test suite checks
JSON Feed 1.1 against the specification instead.
"""

import os
import sys

CONTENT_TYPES = {
    "atom.xml": "application/atom+xml; charset=utf-8",
    "rss.xml": "application/rss+xml; charset=utf-8",
    "feed.json": "application/feed+json",
}


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    checkout, site_dir, site_url = argv[1], argv[2], argv[3].rstrip("/")
    sys.path.insert(0, os.path.join(checkout, "src"))
    import feedvalidator
    from feedvalidator.formatter.text_plain import Formatter
    from feedvalidator.logging import Error, Info, Warning

    failed = False
    for root, _dirs, files in sorted(os.walk(os.path.join(site_dir, "feeds"))):
        for name in sorted(files):
            if name not in CONTENT_TYPES:
                continue
            path = os.path.join(root, name)
            url = site_url + "/" + os.path.relpath(path, site_dir).replace(os.sep, "/")
            try:
                with open(path, "rb") as stream:
                    result = feedvalidator.validateStream(
                        stream, contentType=CONTENT_TYPES[name], base=url
                    )
                events = result["loggedEvents"]
                feed_type = result.get("feedType")
            except feedvalidator.logging.ValidationFailure as failure:
                events, feed_type = [failure.event], None
            counts = {
                kind.__name__: sum(isinstance(e, kind) for e in events)
                for kind in (Error, Warning, Info)
            }
            print(f"{url} (type {feed_type}): {counts['Error']} errors, "
                  f"{counts['Warning']} warnings, {counts['Info']} notes")
            reported = [e for e in events if isinstance(e, (Error, Warning, Info))]
            for event, text in zip(reported, Formatter(reported)):
                kind = "error" if isinstance(event, Error) else (
                    "warning" if isinstance(event, Warning) else "note")
                print(f"  {kind}: {text} [{type(event).__name__}]")
            if name == "feed.json":
                print("  (the W3C validator does not support JSON Feed; not counted)")
                continue
            failed = failed or counts["Error"] > 0 or counts["Warning"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
