"""The report's model and charts as one self-contained HTML page, through an autoescaping
Jinja2 template (`templates/report.html.j2`): every value from an export is text on the page,
never markup."""

from __future__ import annotations

from datetime import date, datetime

from tiktok_transition import __version__
from tiktok_transition.core.flags import Flag
from tiktok_transition.core.money import format_rupiah
from tiktok_transition.i18n import format_date, set_language, t
from tiktok_transition.report.charts import Chart, charts
from tiktok_transition.report.model import Report


def render(report: Report, drawn: list[Chart] | None = None) -> str:
    """The page. `drawn`: the charts, when the caller made them already."""
    import jinja2

    set_language(report.lang)  # format_moment and format_hours speak the current language
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("tiktok_transition.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    lang = report.lang
    environment.globals.update(
        t=lambda key, **params: t(f"report.{key}", lang, **params),
        flag_label=lambda flag: t(f"flag.{flag}", lang),
        rupiah=format_rupiah,
        number=lambda value: number(value, lang),
        moment=moment,
        day=lambda value: format_date(value, lang) if isinstance(value, date) else "",
        hours=hours,
        percent=lambda done, total: round(100 * done / total) if total else 0,
    )
    if drawn is None:
        drawn = charts(
            report.plan,
            report.amounts,
            report.created,
            lang,
            history=report.history,
            cutoff=report.headline.cutoff,
        )
    template = environment.get_template("report.html.j2")
    return template.render(
        report=report,
        headline=report.headline,
        charts=drawn,
        lost_flag=Flag.AUTO_CANCELLED.value,
        version=__version__,
        files_text=_files_text(report, lang),
    )


def number(value: int, lang: str) -> str:
    """`12,345` in English, `12.345` in Indonesian."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "id" else text


def moment(value: datetime) -> str:
    """`5 Nov 2023 23.59 WIB` in Indonesian: the terminal views' own formatting."""
    from tiktok_transition.ui.orders import format_moment

    return format_moment(value)


def hours(value: float) -> str:
    from tiktok_transition.ui.orders import format_hours

    return format_hours(value)


def _files_text(report: Report, lang: str) -> str:
    count = len(report.files)
    if count == 1:
        return t("report.files_one", lang)
    return t("report.files_other", lang, count=count)
