"""`ipreport plans list|show`: the bundled plans and one plan's targets."""

from __future__ import annotations

import click

from ipreport.cli.base import IpreportGroup
from ipreport.cli.options import LANG_OPTION, complete_plans
from ipreport.cli.output import visible_text
from ipreport.util.i18n import language


@click.group(cls=IpreportGroup)
def plans() -> None:
    """List the bundled plans or show one plan's targets."""


@plans.command("list")
def plans_list() -> None:
    """List the bundled plans with their ids, regions, periods and documents.

    \b
    Example:
      ipreport plans list
    """
    from ipreport.plans.load import bundled_plans
    from ipreport.render.planview import render_plan_list

    click.echo(render_plan_list(bundled_plans(), lang=language()), nl=False)


@plans.command("show")
@click.argument("plan", metavar="PLAN", shell_complete=complete_plans)
@LANG_OPTION
def plans_show(plan: str, lang: str) -> None:
    """Show one plan's targets and tasks.

    PLAN is a plan file (.toml) or the id of a bundled plan.

    \b
    Example:
      ipreport plans show jilin-2016
      ipreport plans show my-plan.toml
    """
    from ipreport.plans.load import load_plan
    from ipreport.render.planview import render_plan

    click.echo(visible_text(render_plan(load_plan(plan), lang=lang)), nl=False)
