"""The report as ONE self-contained HTML file: the styles inline, every picture an inline SVG
(``charts``), no script, no font, no link to fetch -- it opens offline and can be mailed.
Where a picture cannot exist, the page says why in words in its place."""

from __future__ import annotations

from html import escape
from typing import Any

from annotator.core.agreement.project import units_line
from annotator.core.report import charts
from annotator.core.report.tables import HEAD, caption, cells, coefficient, count, notes, percent, shown
from annotator.core.wording import plural

CSS = """
body { font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #333330; background: #fbfaf7;
       margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem;
     border-bottom: 1px solid #e2e0da; padding-bottom: 0.2rem; } h3 { font-size: 1.02rem; margin: 1.4rem 0 0.3rem; }
.lede { color: #55554f; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; background: #fff; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #e2e0da; text-align: left; vertical-align: top; }
th { background: #f1efe9; font-weight: 600; } td.ci, td.v { white-space: nowrap; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
caption { caption-side: bottom; text-align: left; color: #55554f; font-size: 0.82rem; padding-top: 0.4rem; }
.verdict-reliable { color: #2f6496; font-weight: 600; } .verdict-tentative { color: #a0701a; font-weight: 600; }
.verdict-unreliable { color: #a8432f; font-weight: 600; }
.words { background: #f1efe9; border-left: 4px solid #c8c6c0; padding: 0.5rem 0.8rem; margin: 0.6rem 0; }
figure { margin: 0.6rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #55554f; font-size: 0.82rem; }
.scheme { margin-top: 1rem; } .muted { color: #75756f; }
code { background: #f1efe9; padding: 0 0.25rem; }
"""


def words(text: str) -> str:
    return f'<p class="words">{escape(text)}</p>'


def picture(svg: str | None, why: str, legend: str = "") -> str:
    """A picture with its legend, or the words that say why there is none."""
    if svg is None:
        return words(why)
    return f"<figure>{svg}" + (f"<figcaption>{escape(legend)}</figcaption>" if legend else "") + "</figure>"


def reliability_table(report: dict[str, Any]) -> str:
    rows = []
    keep = shown(report)
    for s in report["schemes"].values():
        r = s["row"]
        out = []
        for k, text in enumerate(cells(r)):
            if k not in keep:
                continue
            cls = ' class="n"' if k in (2, 4, 5, 6, 7) else ' class="ci"' if k in (3, 8) else ""
            if k == 9 and r["verdict"]:
                cls = f' class="v verdict-{r["verdict"]}"'
            out.append(f"<td{cls}>{escape(text)}</td>")
        rows.append("<tr>" + "".join(out) + "</tr>")
    head = "".join(f"<th>{escape(HEAD[k])}</th>" for k in keep)
    return (f"<table><caption>{escape(caption(report))}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>" + "".join(words("Note. " + n) for n in notes(report)))


def outcome_lines(d: dict[str, Any]) -> str:
    if not d["compared"]:
        return words("No unit has two values yet: there are no disagreements to settle.")
    items = [
        f"{plural(d['compared'], 'unit')} compared: {count(d['unanimous'])} unanimous "
        f"({count(d['unanimous_accepted'])} of them accepted as gold with 'annotator gold --accept-unanimous'), "
        f"{plural(d['disagreements'], 'disagreement')}.",
        f"Disagreements settled in review by taking a coder's value: {count(d['settled_by_review'])}; "
        f"by hand: {count(d['settled_by_hand'])}"
        + (f"; otherwise (a decision recorded before its method was): {count(d['settled_otherwise'])}"
           if d["settled_otherwise"] else "") + f"; still open: {count(d['remaining'])}.",
    ]
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def gold_table(gold: dict[str, dict[str, Any]], total: int, title: str) -> str:
    if not total:
        return words(f"There are no gold labels of {title} yet: agreement with the gold follows once "
                     "disagreements are decided ('annotator review') or unanimous values accepted.")
    rows = "".join(
        f"<tr><td>{escape(c)}</td><td class='n'>{count(g['units'])}</td><td class='n'>{percent(g['percent_agreement'])}"
        f"</td><td class='n'>{coefficient(g['alpha'])}</td></tr>" for c, g in gold.items()
    )
    return ("<table><thead><tr><th>Coder</th><th>Units with gold</th><th>Agreement with gold</th><th>α with gold</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>")


def assisted_table(a: dict[str, Any] | None, note: str | None, title: str) -> str:
    """``agreement.assisted.assistance``'s figures: the rule of what is assisted has one home."""
    if a is None:
        return words(note or "No suggestion was on screen.")
    if a["assisted"]["values"] == 0:
        return words(f"No value of {title} was set with a suggestion on screen.")
    rows = ""
    for name in ("unassisted", "assisted"):
        s, gold = a[name], a[name]["gold"]
        rows += (f"<tr><td>{name}</td><td class='n'>{count(s['values'])}</td><td class='n'>{count(s['units_compared'])}</td>"
                 f"<td class='n'>{coefficient(s['alpha'])}</td><td class='n'>{percent(s['percent_agreement'])}</td>"
                 f"<td class='n'>{count(gold['compared'])}</td><td class='n'>{percent(gold['rate'])}</td></tr>")
    kept = a["accepted_unchanged"]
    return ("<table><thead><tr><th>Coding</th><th>Values</th><th>Units, coders compared</th><th>α between coders</th>"
            "<th>Agreement between coders</th><th>Values with gold</th><th>Equal to gold</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            + words(f"A value is assisted when the scheme's suggestion was on screen as the coder changed the item; "
                    f"a unit is assisted when any of its values is. Of {kept['compared']} assisted values, "
                    f"{kept['agree']} are the suggestion unchanged ({percent(kept['rate'])})."))


def scheme_section(name: str, s: dict[str, Any], report: dict[str, Any]) -> str:
    r = s["row"]
    title = escape(r["title"])
    out = [f'<section class="scheme" id="scheme-{escape(name)}"><h2>{title} <span class="muted">({escape(name)}, '
           f'{escape(r["coefficient"])})</span></h2>']
    if r["note"]:
        out.append(words(r["note"]))
    else:
        ci = r["alpha_ci95"]
        out.append(f"<p>α = {coefficient(r['alpha'])}" + (f" [{coefficient(ci[0])}, {coefficient(ci[1])}]" if ci else "")
                   + f" on {plural(r['units'], 'unit')} by {plural(len(r['coders']), 'coder')}: "
                   f"<span class='verdict-{r['verdict']}'>{escape(r['verdict_words'])}</span>.</p>")
        if r["skewed"] and r["gwet"]["value"] is not None:
            out.append(f"<p>One value makes up {percent(r['top_share'])} of the values: {r['gwet']['name']} = "
                       f"{coefficient(r['gwet']['value'])} beside α (percent agreement {percent(r['percent_agreement'])}).</p>")
    out.append(f"<p class='muted'>{escape(units_line(r['coverage']))}.</p>")
    coders = [c for c in report["coders"] if any(c in k.split("|") for k in s["pairwise"])]
    out.append("<h3>Coder by coder</h3>")
    out.append(picture(charts.heatmap(coders, s["pairwise"]),
                       "There is no pair of coders with items in common and a defined alpha: no coder-by-coder picture.",
                       "Alpha of each pair of coders over the items both coded (units under the value)."))
    out.append("<h3>Per option</h3>")
    usage_coders = [c for c in report["coders"] if any(po["usage"].get(c) for po in s["per_option"].values())]
    out.append(picture(charts.options(s["per_option"], usage_coders),
                       f"No coder has used an option of {r['title']} yet.",
                       "Left: binary alpha of each option (this option or not). Right: how often each coder gives it; "
                       "a coder who over- or under-uses an option stands out."))
    if r["kind"] == "single":
        conf = s["confusion"]
        out.append("<h3>Confusion</h3>")
        out.append(picture(charts.confusion(conf), "No two coders have items of this scheme in common: no confusion table.",
                           f"{conf['pair'][0]}'s values (rows) against {conf['pair'][1]}'s (columns) on the "
                           f"{plural(conf['units'], 'item')} both coded; shaded by the share of the row." if conf else ""))
    d = s["drift"]
    out.append(f"<h3>Drift over {escape(report['by_words'])}</h3>")
    one_period = len(d["few"]) + len(d["points"]) <= 1  # the note already names it
    few = "" if one_period else (f" {plural(len(d['few']), 'period')} with fewer than {d['min_units']} units "
                                 "not drawn"
           + f" ({', '.join(p['period'] + ': ' + str(p['units']) for p in d['few'][:8])}"
           + (", ..." if len(d["few"]) > 8 else "") + ")." if d["few"] else "")
    undated = f" {plural(d['undated'], 'unit')} without a period (an undated item)." if d["undated"] else ""
    out.append(picture(charts.drift(d), (d["note"] or "Nothing to draw.") + few + undated,
                       f"Alpha per period (dots, left axis) and the units compared in it (grey bars, right axis); "
                       f"periods need {d['min_units']} units to be drawn." + few + undated))
    out.append("<h3>What happened to the disagreements</h3>")
    out.append(outcome_lines(s["disagreements"]))
    out.append(gold_table(s["gold"], s["disagreements"]["gold_total"], r["title"]))
    if s["assisted"] is not None:  # else the page says once, above, that no suggestion was ever shown
        out.append("<h3>Assisted and unassisted coding</h3>")
        out.append(assisted_table(s["assisted"], report["assisted_note"], r["title"]))
    out.append("</section>")
    return "\n".join(out)


def html(report: dict[str, Any]) -> str:
    rows = [s["row"] for s in report["schemes"].values()]
    body = [f"<h1>Reliability report: {escape(report['project'])}</h1>",
            f"<p class='lede'>{plural(len(report['coders']), 'coder')} ({escape(', '.join(report['coders']) or 'none')}), "
            f"{plural(len(rows), 'scheme')}. Made by <code>annotator report</code>; the same figures as "
            "<code>annotator agreement</code>.</p>"]
    if report["note"]:
        body.append(words(report["note"]))
    body.append("<h2>Reliability per scheme</h2>")
    body.append(reliability_table(report))
    body.append(picture(charts.alpha_per_scheme(rows), "No scheme has an alpha yet: nothing to draw.",
                        "Alpha per scheme with its 95 % interval; blue: reliable, amber: tentative, red: not reliable."))
    if report["assisted_note"]:
        body.append("<h2>Assisted and unassisted coding</h2>")
        body.append(words(report["assisted_note"]))
    for name, s in report["schemes"].items():
        body.append(scheme_section(name, s, report))
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>Reliability report: "
            f"{escape(report['project'])}</title><style>{CSS}</style></head><body><main>\n"
            + "\n".join(body) + "\n</main></body></html>\n")
