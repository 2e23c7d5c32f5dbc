#!/usr/bin/python3
"""Checks one rendered page (HTML on stdin) the way a browser and an
accessibility audit would, independently of the C++ renderer.

Usage: check_page.py ASSET_BASE < page.html
Prints one line per problem and exits 1 if there are any, 0 otherwise.
Standard library only, so it runs wherever Debian's python3 does.
"""
import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "path"}  # <path/> inside <svg> is written self-closing
FIELDS = {"input", "select", "textarea"}


class PageChecker(HTMLParser):
    def __init__(self, asset_base):
        super().__init__(convert_charrefs=True)
        self.asset_base = asset_base
        self.problems = []
        self.stack = []
        self.ids = {}
        self.labels_for = set()
        self.fields = []
        self.headings = []
        self.in_main = False
        self.counts = {}
        self.title = None
        self.in_title = False
        self.in_script = False
        self.first_link_href = None
        self.html_lang = None

    def problem(self, text):
        self.problems.append(f"line {self.getpos()[0]}: {text}")

    def handle_decl(self, decl):
        self.counts["doctype"] = self.counts.get("doctype", 0) + 1
        if decl.lower() != "doctype html":
            self.problem(f"doctype is <!{decl}>, expected <!DOCTYPE html>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if "svg" not in self.stack:  # an <svg> has its own <title>
            self.counts[tag] = self.counts.get(tag, 0) + 1
        for name, value in a.items():
            if name.startswith("on"):
                self.problem(f"<{tag}> has an event handler attribute {name}= (the CSP forbids inline script)")
            if name == "style":
                self.problem(f"<{tag}> has a style= attribute (the CSP forbids inline styles)")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.problem(f"<{tag}> has a javascript: URL")
        if "id" in a:
            if a["id"] in self.ids:
                self.problem(f"id \"{a['id']}\" is used twice")
            self.ids[a["id"]] = tag
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "title" and "svg" not in self.stack:
            self.in_title = True
            self.title = ""
        elif tag == "script":
            if not a.get("src"):
                self.problem("<script> without src (inline script is forbidden by the CSP)")
            elif not a["src"].startswith(self.asset_base + "/"):
                self.problem(f"<script src=\"{a['src']}\"> is not under {self.asset_base}/")
            if a.get("type") != "module":
                self.problem("<script> is not type=\"module\"")
            self.in_script = True
        elif tag == "style":
            self.problem("<style> element (the CSP forbids inline styles)")
        elif tag == "link" and a.get("rel") in ("stylesheet", "icon", "apple-touch-icon", "mask-icon"):
            if not a.get("href", "").startswith(self.asset_base + "/"):
                self.problem(f"<link href=\"{a.get('href')}\"> is not under {self.asset_base}/")
        elif tag == "a":
            if self.first_link_href is None:
                self.first_link_href = a.get("href")
            if a.get("target") == "_blank" and "noopener" not in a.get("rel", ""):
                self.problem("<a target=_blank> without rel=noopener")
        elif tag == "img" and "alt" not in a:
            self.problem("<img> without alt")
        elif tag == "svg" and a.get("role") == "img" and not a.get("aria-label"):
            self.problem("<svg role=img> without aria-label")
        elif tag == "label" and a.get("for"):
            self.labels_for.add(a["for"])
        elif tag == "main":
            self.in_main = True
            if a.get("id") != "maincontent":
                self.problem("<main> is not id=\"maincontent\" (the skip link's target)")
        elif tag in FIELDS and a.get("type") not in ("hidden", "submit", "button"):
            self.fields.append((tag, a.get("id")))
        if re.fullmatch(r"h[1-6]", tag):
            level = int(tag[1])
            if level == 1 and not self.in_main:
                self.problem("<h1> outside <main>")
            if self.headings and level > self.headings[-1] + 1:
                self.problem(f"heading level jumps from h{self.headings[-1]} to h{level}")
            if not self.headings and level != 1:
                self.problem(f"first heading is h{level}, not h1")
            self.headings.append(level)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.problem(f"</{tag}> with nothing open")
            return
        if self.stack[-1] != tag:
            self.problem(f"</{tag}> closes <{self.stack[-1]}>")
            if tag in self.stack:
                while self.stack and self.stack[-1] != tag:
                    self.stack.pop()
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag == "title":
            self.in_title = False
        elif tag == "script":
            self.in_script = False
        elif tag == "main":
            self.in_main = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.in_script and data.strip():
            self.problem("<script> with inline content")

    def finish(self):
        if self.stack:
            self.problem(f"elements left open: {self.stack}")
        if self.counts.get("doctype", 0) != 1:
            self.problem("no <!DOCTYPE html>")
        if self.html_lang != "en-GB":
            self.problem(f"<html lang=\"{self.html_lang}\">, expected en-GB")
        if self.counts.get("title", 0) != 1 or not (self.title or "").strip():
            self.problem("the page needs exactly one non-empty <title>")
        elif not self.title.endswith(" – Mentoring"):
            self.problem(f"<title> \"{self.title}\" does not end with \" – Mentoring\"")
        if self.counts.get("main", 0) != 1:
            self.problem("the page needs exactly one <main>")
        if self.counts.get("h1", 0) != 1:
            self.problem(f"the page has {self.counts.get('h1', 0)} <h1>, expected 1")
        if self.counts.get("footer", 0) != 1:
            self.problem("the page needs exactly one <footer>")
        if self.counts.get("header", 0) > 1:
            self.problem("more than one <header>")
        if self.first_link_href != "#maincontent":
            self.problem(f"the first link is {self.first_link_href!r}, expected the skip link to #maincontent")
        for tag, field_id in self.fields:
            if not field_id or field_id not in self.labels_for:
                self.problem(f"<{tag} id={field_id!r}> has no <label for>")


def main():
    asset_base = sys.argv[1] if len(sys.argv) > 1 else ""
    checker = PageChecker(asset_base)
    checker.feed(sys.stdin.read())
    checker.close()
    checker.finish()
    for p in checker.problems:
        print(p)
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main())
