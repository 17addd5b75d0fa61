"""Unit tests of what keeps input from running on a page (docs/security.md): the HTML and
SVG sanitisers, the URL filters, autoescaping, page addresses, and the Content-Security-
Policy in the theme, the built site and the deploy recipes."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from jinja2 import DictLoader, Environment
from markupsafe import Markup

from moldir.pipeline.sanitize import (
    THEMED_PROPERTIES,
    sanitize_html,
    sanitize_svg,
    svg_class,
    svg_file_problem,
)
from moldir.site import content, csp, templating

ROOT = Path(__file__).resolve().parents[1]

# --- the HTML of pages and articles -------------------------------------------------------

HOSTILE_HTML = [
    ("<script>alert(1)</script>Text", "Text"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>Text", "Text"),
    ('<img src="x.png" onerror="alert(1)" alt="a">', '<img src="x.png" alt="a">'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java\tscript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" JAVASCRIPT:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<a>x</a>"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"),
    (
        '<a href="https://example.org/" target="_blank" onclick="x()">x</a>',
        '<a href="https://example.org/">x</a>',
    ),
    ('<iframe src="https://evil.example/"></iframe>Text', "Text"),
    ('<object data="x.swf"></object><embed src="x.swf">Text', "Text"),
    ('<form action="/x"><input name="q"><button>Go</button></form>', "Go"),
    ('<svg onload="alert(1)"><script>alert(2)</script><circle r="1"/></svg>Text', "Text"),
    ("<math><mtext><script>alert(1)</script></mtext></math>Text", "Text"),
    ('<style>body{display:none}</style><p style="color:red">P</p>', "<p>P</p>"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">Hi', "Hi"),
    ('<base href="https://evil.example/">Hi', "Hi"),
    ("<!-- <script>alert(1)</script> -->Hi", "Hi"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', None),
    ('<p data-module="moldir-search" tabindex="1" contenteditable>P</p>', "<p>P</p>"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
]


@pytest.mark.parametrize(("html", "expected"), HOSTILE_HTML)
def test_the_sanitiser_removes_what_could_run(html, expected):
    cleaned = sanitize_html(html)
    assert isinstance(cleaned, Markup)
    if expected is not None:
        assert cleaned == expected
    lowered = str(cleaned).lower()
    for needle in ("<script", "onerror=", "onload=", "javascript:", "<iframe", "<style", "style="):
        assert needle not in lowered, (html, cleaned)


@pytest.mark.parametrize(("html", "_expected"), HOSTILE_HTML)
def test_cleaning_clean_html_gives_it_back(html, _expected):
    once = str(sanitize_html(html))
    assert str(sanitize_html(once)) == once


def test_the_sanitiser_keeps_prose_tables_links_and_images():
    html = (
        '<h2 id="data">Data</h2><p><strong>a</strong> <em>b</em> <code>c</code> '
        '<a href="https://example.org/">https</a> <a href="http://example.org/">http</a> '
        '<a href="mailto:a@example.org">mail</a> <a href="../quality/">relative</a> '
        '<a href="#fn:1">anchor</a></p>'
        '<table><thead><tr><th scope="col">H</th></tr></thead><tbody><tr><td colspan="2">1'
        "</td></tr></tbody></table>"
        '<figure><img src="https://example.org/i.png" alt="I" width="10"><figcaption>C'
        '</figcaption></figure><blockquote><p>Q</p></blockquote><ol start="3"><li>L</li></ol>'
        '<div class="codehilite"><pre><span class="k">def</span></pre></div>'
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>'
    )
    assert sanitize_html(html) == html


def test_pelican_link_placeholders_survive_sanitising():
    html = '<a href="{filename}/pages/about.md">a</a><img src="{static}/images/x.png">'
    assert sanitize_html(html) == html


def test_nothing_becomes_empty_markup():
    assert sanitize_html(None) == Markup("")


# --- the inline SVG of charts -------------------------------------------------------------

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="10" height="10" class="moldir-chart__svg" role="img" aria-labelledby="c-alt" '
    'onload="alert(1)">'
    "<script>alert(2)</script>"
    "<foreignObject><div>x</div></foreignObject>"
    '<image xlink:href="https://evil.example/x.png"/>'
    '<g class="mark-rect role-mark"><path d="M0,0h5v5h-5Z" data-cell="0-0" '
    'style="fill: var(--moldir-chart-1, #12436D)" onclick="alert(3)"/></g>'
    '<text style="fill: var(--moldir-chart-text, currentColor); font-size: 10px">'
    "&lt;script&gt;alert(4)&lt;/script&gt;</text>"
    '<line stroke="#000" style="stroke: var(--moldir-chart-axis, #505A5F)"/>'
    '<rect fill="url(https://evil.example/p.svg#a)" clip-path="url(#clip1)" width="1"/>'
    '<use xlink:href="https://evil.example/s.svg#x"/><use xlink:href="#local"/>'
    '<a xlink:href="javascript:alert(5)"><text>j</text></a>'
    '<a xlink:href="https://example.org/"><text>ok</text></a>'
    '<animate attributeName="href" to="javascript:alert(6)"/>'
    '<text style="fill: url(https://evil.example/x); behavior: url(x.htc)">s</text>'
    "</svg>"
)


def test_the_svg_sanitiser_keeps_drawing_and_drops_what_could_run():
    cleaned = str(sanitize_svg(SVG))
    for needle in ("script>", "onload", "onclick", "foreignObject", "<image", "evil", "animate"):
        assert needle not in cleaned, needle
    assert "javascript" not in cleaned.replace("&lt;script&gt;alert(4)", "")
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in cleaned  # text stays text
    assert 'xlink:href="#local"' in cleaned and 'xlink:href="https://example.org/"' in cleaned
    assert 'clip-path="url(#clip1)"' in cleaned and 'data-cell="0-0"' in cleaned
    assert 'role="img"' in cleaned and 'aria-labelledby="c-alt"' in cleaned
    assert cleaned.startswith("<svg ") and 'xmlns="http://www.w3.org/2000/svg"' in cleaned


def test_svg_styles_become_classes_or_attributes():
    cleaned = str(sanitize_svg(SVG))
    assert "style=" not in cleaned
    assert 'class="mark-rect role-mark"' in cleaned
    assert 'class="moldir-fill-chart-1"' in cleaned
    assert 'class="moldir-fill-chart-text" font-size="10px"' in cleaned or (
        'font-size="10px" class="moldir-fill-chart-text"' in cleaned
    )
    # A themed stroke replaces the fixed colour the attribute had.
    assert re.search(r'<line class="moldir-stroke-chart-axis"\s*/>', cleaned)


def test_every_themed_class_has_a_rule_in_the_theme():
    css = (ROOT / "theme/static/css/components/chart.css").read_text(encoding="utf-8")
    for prop in ("fill", "stroke"):
        for name in sorted(THEMED_PROPERTIES):
            rule = f":where(.{svg_class(prop, name)}) {{ {prop}: var(--moldir-{name},"
            assert rule in css, rule


def test_a_real_chart_svg_is_kept_whole(built):
    """The sanitiser drops nothing vl-convert draws: as many elements as marks, axes and text."""
    page = built.html("/en/datasets/receptions-akimats/")
    svg = page.select_one("svg.moldir-chart__svg")
    assert len(svg.find_all("text")) > 5 and len(svg.select("[data-cell]")) > 3
    assert not svg.select("[style]")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>', None),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="x"/>', "onload"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "foreignObject"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:x"/></svg>', "links"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="x"/></svg>',
            "animates",
        ),
        (b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>', "entities"),
        (b'<?xml-stylesheet href="x.xsl"?><svg xmlns="http://www.w3.org/2000/svg"/>', "stylesheet"),
        (b"<svg", "not well-formed"),
    ],
)
def test_svg_files_from_content_are_checked_for_script(data, problem):
    found = svg_file_problem(data)
    assert (found is None) if problem is None else (problem in found), found


# --- URLs from input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("http://example.org/", True),
        ("mailto:office@example.org", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("\x00javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("vbscript:msgbox(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
        ("../../etc/passwd", False),
        ("data.csv", False),
        ("https:", False),
        ("", False),
        (None, False),
        (42, False),
    ],
)
def test_only_https_http_and_mailto_urls_become_links(url, link):
    assert (templating.safe_url(url) is not None) is link
    rendered = templating.link_or_text(url, "Label")
    assert isinstance(rendered, Markup)
    if link:
        assert rendered.startswith('<a href="') and rendered.endswith('">Label</a>')
    else:
        assert rendered == "Label"


def test_a_link_escapes_its_url_and_text():
    rendered = templating.link_or_text('https://example.org/?q="><script>', "<b>&</b>")
    assert rendered == (
        '<a href="https://example.org/?q=&#34;&gt;&lt;script&gt;">&lt;b&gt;&amp;&lt;/b&gt;</a>'
    )
    assert templating.link_or_text("javascript:x") == "javascript:x"


def test_html_escaped_is_text_escaped_once_more_on_the_page():
    env = Environment(loader=DictLoader({"t": "<textarea>{{ v|html_escaped }}</textarea>"}))
    templating.install(env)
    assert env.get_template("t").render(v='a"<b>&') == (
        "<textarea>a&amp;#34;&amp;lt;b&amp;gt;&amp;amp;</textarea>"
    )


# --- autoescaping -------------------------------------------------------------------------


def test_install_turns_autoescaping_on_whatever_the_environment_said():
    env = Environment(
        autoescape=False,
        loader=DictLoader(
            {
                "page": '<p title="{{ value }}">{{ value }}</p>'
                '{{ _("Data of %(title)s", title=value) }}{{ html|sanitize }}'
            }
        ),
    )
    templating.install(env, gettext.NullTranslations())
    rendered = env.get_template("page").render(
        value='"><script>x</script>', html="<b>b</b><script>y</script>"
    )
    assert rendered == (
        '<p title="&#34;&gt;&lt;script&gt;x&lt;/script&gt;">&#34;&gt;&lt;script&gt;x&lt;/script&gt;'
        "</p>Data of &#34;&gt;&lt;script&gt;x&lt;/script&gt;<b>b</b>"
    )


def test_every_pelican_generator_environment_escapes(site):
    """The real build: a page Pelican renders (an article) and one Moldir renders."""
    article = next((site / "en" / "news").glob("*/index.html")).read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in article
    assert "&amp;amp;" not in article


# --- page addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "name", "ok"),
    [
        ("about/index.html", "save_as", True),
        ("news/2026/story/index.html", "save_as", True),
        ("about/", "url", True),
        ("../x/index.html", "save_as", False),
        ("a/../../x/index.html", "save_as", False),
        ("/etc/x.html", "save_as", False),
        ("%2e%2e/x/", "url", False),
        ("javascript:alert(1)", "url", False),
        ('x" onmouseover="y/', "url", False),
        ("a b/index.html", "save_as", False),
        ("x\\..\\y.html", "save_as", False),
        ("page.js", "save_as", False),
    ],
)
def test_page_addresses_stay_inside_the_site(tmp_path, value, name, ok):
    assert (content.address_problem(value, name, tmp_path) is None) is ok


def test_the_files_of_pelican_and_moldir_are_reserved():
    settings = {
        "DIRECT_TEMPLATES": ["index", "archives", "404"],
        "INDEX_SAVE_AS": "index.html",
        "ARCHIVES_SAVE_AS": "news/index.html",
        "FEED_ALL_ATOM": "feeds/all.atom.xml",
    }
    reserved = content.reserved_files(settings)
    for name in ("index.html", "news/index.html", "404.html", "feeds/all.atom.xml", "data.json"):
        assert name in reserved
    languages = {"MOLDIR_LANGUAGES": ["kk", "ru", "en"], "MOLDIR_ROOT_LANG": "kk"}
    assert set(content.language_folders({**languages, "DEFAULT_LANG": "ru"})) == {"ru", "en"}


def test_every_folder_moldir_writes_at_the_root_is_reserved(site):
    """A new feature's top-level folder must be added to content.MOLDIR_FOLDERS."""
    content_folders = {"about", "news", "images", "extra", "drafts"}
    languages = {"ru", "en"}
    folders = {p.name for p in site.iterdir() if p.is_dir()}
    unreserved = folders - set(content.MOLDIR_FOLDERS) - content_folders - languages
    assert not unreserved, unreserved


# --- the Content-Security-Policy ----------------------------------------------------------


def test_the_policy_forbids_inline_script_and_style():
    directives = dict(part.strip().split(" ", 1) for part in csp.POLICY.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp.POLICY and "'unsafe-eval'" not in csp.POLICY


def test_headers_file_and_nginx_send_the_same_policy():
    headers = (ROOT / "content" / "extra" / "_headers").read_text(encoding="utf-8")
    assert f"  Content-Security-Policy: {csp.POLICY}\n" in headers
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{csp.POLICY}" always;' in nginx


def test_no_nginx_location_drops_the_security_headers():
    """nginx forgets every server-level add_header inside a location that sets its own."""
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in nginx.splitlines())
    for block in re.findall(r"location[^{]*\{([^}]*)\}", code):
        assert "add_header" not in block, block
    assert re.search(r"^\s*include\s+mime\.types;", code, re.MULTILINE)


def test_no_built_page_has_inline_script_style_or_handlers(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        if "pagefind" in path.parts:
            continue
        html = path.read_text(encoding="utf-8")
        meta = BeautifulSoup(html, "html.parser").select_one(
            'head > meta[http-equiv="Content-Security-Policy"]'
        )
        assert meta is not None and meta["content"] == csp.POLICY, path
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL):
            assert 'type="application/ld+json"' in attributes or (
                "src=" in attributes and not body.strip()
            ), (path, attributes)
        assert not re.search(r"<[a-zA-Z][^>]*\sstyle=", html), path
        assert not re.search(r"<[a-zA-Z][^>]*\son[a-z]+=", html), path
        assert "<style" not in html, path


def test_theme_scripts_never_write_html():
    for path in (ROOT / "theme" / "static" / "js").glob("*.js"):
        code = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, (path.name, sink)
