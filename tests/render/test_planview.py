"""`plans list` and `plans show` as a reader sees them at 80 columns."""

from __future__ import annotations

from pathlib import Path

from wcwidth import wcswidth

from ipreport.plans.load import bundled_plans, load_plan
from ipreport.render.planview import render_plan, render_plan_list, wrap_id

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cli"


def _width(text: str) -> int:
    return max(wcswidth(line) for line in text.splitlines())


def test_ids_break_only_after_hyphens():
    assert wrap_id("invention-patents-per-10k-growth", 24) == "invention-patents-per-\n10k-growth"
    assert wrap_id("short-id", 24) == "short-id"


def test_every_bundled_plan_fits_80_columns_in_both_languages():
    plans = bundled_plans()
    assert _width(render_plan_list(plans)) <= 80
    for plan in plans:
        for lang in ("zh", "en"):
            assert _width(render_plan(plan, lang)) <= 80, (plan.id, lang)


def test_targets_are_grouped_under_their_dimension():
    text = render_plan(load_plan(str(FIXTURES / "mini.toml")), "en")
    assert text.index("■ Creation") < text.index("patents-per-10k") < text.index("■ Protection")
    assert text.index("■ Protection") < text.index("closure-rate") < text.index("■ Services")


def test_missing_document_details_are_left_out(tmp_path):
    lines = (FIXTURES / "mini.toml").read_text(encoding="utf-8").splitlines()
    skipped = ("document =", "issuer =", "issued =")
    bare = tmp_path / "bare.toml"
    bare.write_text("\n".join(line for line in lines if not line.startswith(skipped)) + "\n", encoding="utf-8")
    head = render_plan(load_plan(str(bare))).splitlines()[:2]
    assert head == ["某省知识产权示例规划", "mini · 某省 · 2021–2025"]
