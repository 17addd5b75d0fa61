"""The stylesheet bundle (moldir.site.assets): core layers first, then every component file."""

from __future__ import annotations

from pathlib import Path

from moldir.site.assets import bundle_stylesheet, finish_site, write_bundle


def make_theme(root: Path) -> Path:
    css = root / "theme" / "css"
    (css / "components").mkdir(parents=True)
    (css / "moldir.css").write_text("@layer base, components, modes;\nbody{}\n")
    (css / "modes.css").write_text("@layer modes { html{} }\n")
    (css / "components" / "b.css").write_text('@charset "utf-8";\n.b{}\n')
    (css / "components" / "a.css").write_text(".a{}\n")
    (css / "components" / "notes.txt").write_text("not css")
    return css


def test_bundle_keeps_layer_order_and_wraps_each_component(tmp_path):
    css = make_theme(tmp_path)
    text = bundle_stylesheet(css)
    assert text.startswith("/* moldir.css */\n@layer base, components, modes;")
    assert text.index("modes.css") < text.index("components/a.css") < text.index("components/b.css")
    assert "@layer components {\n.a{}\n}" in text
    assert "@charset" not in text
    assert "not css" not in text


def test_write_bundle_only_in_a_moldir_theme(tmp_path):
    css = make_theme(tmp_path)
    assert write_bundle(css) == css / "site.css"
    assert write_bundle(tmp_path) is None


def test_site_step_bundles_every_language_copy_and_puts_the_favicon_at_the_root(tmp_path):
    make_theme(tmp_path)
    make_theme(tmp_path / "ru")
    (tmp_path / "theme" / "favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    finish_site(tmp_path, settings={"THEME_STATIC_DIR": "theme"})
    assert (tmp_path / "theme" / "css" / "site.css").is_file()
    assert (tmp_path / "ru" / "theme" / "css" / "site.css").is_file()
    assert (tmp_path / "favicon.ico").read_bytes() == b"\x00\x00\x01\x00"


def test_the_built_site_links_the_bundle_with_every_component(built):
    page = built.html("/")
    assert page.select_one('link[rel=stylesheet][href$="theme/css/site.css"]')
    bundle = built.path("/theme/css/site.css").read_text(encoding="utf-8")
    for path in (built.root / "theme" / "css" / "components").glob("*.css"):
        assert f"/* components/{path.name} */" in bundle
