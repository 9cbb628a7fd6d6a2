"""The journeys of issue 13 in a real browser, as the demo's people of Borås: a coordinator
registers a job seeker; a supplier posts a vacancy and asks to meet a pseudonymised candidate; the
coordinator asks for and records consent; the supplier sees the name, books an interview, offers
the job and records the hire; the contract's follow-up and the analyst's statistics move. Every
page on the way is checked (`Visitor.check`: axe-core, 375 px, screenshots under
test-artifacts/browser/).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from hansyn.tenants.contracts.followup import add_months

pytestmark = pytest.mark.xdist_group("browser")

TENANT = "boras"
COORDINATOR = "coordinator@boras.example"
SUPPLIER = "supplier@boras.example"
ANALYST = "analyst@boras.example"
#: The demo contract of Borås's supplier: its clause counts this target group, and its planned
#: employments fall short of the 24 full-time months it asks for.
CONTRACT = "Skötsel av parker och grönytor, centrala Borås"
TARGET_GROUP = "Jobb- och utvecklingsgarantin"
#: A skill no demo job seeker has: the new vacancy asks for it, so the new job seeker ranks first.
RARE_SKILL = "Svetsning"
HIRED_MONTHS = 12


@dataclass(frozen=True)
class JobSeeker:
    reference: str
    name: str


def menu(person, name: str) -> None:
    person.follow(person.page.get_by_role("navigation", name="Meny").get_by_role("link", name=name))


def register_job_seeker(coordinator, seeker: JobSeeker) -> None:
    page = coordinator.page
    coordinator.goto(f"/{TENANT}/")
    coordinator.check("coordinator dashboard")
    menu(coordinator, "Arbetssökande")
    coordinator.check("job seekers")
    coordinator.follow(page.get_by_role("link", name="Registrera en arbetssökande"))
    assert page.get_by_role("heading", level=1).inner_text() == "Registrera en arbetssökande"
    coordinator.check("registration form")

    coordinator.follow(page.get_by_role("button", name="Spara"))
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    coordinator.check("registration refused")

    page.get_by_label("Ärendereferens").fill(seeker.reference)
    page.get_by_label("Namn", exact=True).fill(seeker.name)
    page.get_by_label("Telefon").fill("070-555 12 34")
    page.get_by_label("E-post").fill(f"{seeker.reference.lower()}@example.se")
    page.get_by_label("Program eller målgrupp").select_option(label=TARGET_GROUP)
    page.get_by_label("Kompetenser och yrken").fill(f"{RARE_SKILL}\nTrädgårdsarbete")
    page.get_by_label("Språk med nivå").fill("svenska B1")
    page.get_by_label("B", exact=True).check()
    page.get_by_label("Bostadsort").fill("Borås")
    page.get_by_label("Personen samtycker").check()
    coordinator.follow(page.get_by_role("button", name="Spara"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(seeker.name)
    main = page.locator("main").inner_text()
    assert "Den arbetssökande är registrerad." in main
    assert TARGET_GROUP in main
    coordinator.check("job seeker registered")


def post_vacancy(supplier, title: str, starts: date) -> None:
    page = supplier.page
    supplier.goto(f"/{TENANT}/")
    supplier.check("supplier dashboard")
    menu(supplier, "Annonser")
    supplier.check("vacancies")
    supplier.goto(f"/{TENANT}/vacancies/new")
    supplier.check("new vacancy form")
    assert CONTRACT in page.get_by_label("Avtal").locator("option:checked").inner_text()
    page.get_by_label("Rubrik").fill(title)
    page.get_by_label("Yrke").fill("Svetsare")
    page.get_by_label("Kompetenser som krävs").fill(RARE_SKILL)
    page.get_by_label("Arbetsplatsens ort").fill("Borås")
    page.get_by_label("Antal tjänster").fill("1")
    page.get_by_label("Startdatum").fill(starts.isoformat())
    page.get_by_label("Anställningens längd i månader").fill(str(HIRED_MONTHS))
    page.get_by_label("Timmar per vecka").fill("40")
    supplier.follow(page.get_by_role("button", name="Publicera annonsen"))
    # a published vacancy opens on its ranked, pseudonymised candidates
    assert page.get_by_role("heading", level=1).inner_text() == f"Kandidater – {title}"


def request_match(supplier, seeker: JobSeeker) -> str:
    """Ask to meet the candidate with the rare skill; returns its pseudonym."""
    page = supplier.page
    supplier.check("ranked candidates")
    assert seeker.name not in page.content(), "a supplier saw a name before consent"
    card = page.locator("ol.candidate-list > li").filter(has_text=RARE_SKILL).first
    pseudonym = card.get_by_role("heading").inner_text().strip()
    supplier.follow(card.get_by_role("button"))
    assert pseudonym in page.locator(".flash").inner_text()
    supplier.check("match requested")
    return pseudonym


def open_case(person, title: str) -> None:
    """From the menu's case list to the case of the vacancy called `title`."""
    page = person.page
    menu(person, "Ärenden")
    person.check("cases")
    row = page.locator("tr").filter(has_text=title)
    person.follow(row.locator("td").nth(1).get_by_role("link"))
    person.check("case")


def move_case(person, action: str, fill=None) -> None:
    """Press the case's `action` button, fill its form and send it; back on the case page."""
    page = person.page
    person.follow(page.locator(".actions").get_by_role("link", name=action, exact=True))
    assert page.get_by_role("heading", level=1).inner_text() == action
    person.check(f"{action} form")
    if fill:
        fill(page)
    confirm = page.get_by_label("Jag förstår att detta inte kan ångras.")
    if confirm.count():
        confirm.check()
    person.follow(page.get_by_role("button", name=action))
    assert "/move/" not in page.url, page.locator("main").inner_text()


@dataclass(frozen=True)
class FollowUp:
    """What the contract's follow-up page says, as a reader sees it."""

    status: str
    delivered: float
    planned: float
    forecast: str
    employees: str


def months(text: str) -> float:
    """ "15,7 heltidsmånader" → 15.7"""
    found = re.match(r"([\d\s]+(?:,\d+)?) heltidsmånader", text.strip())
    assert found, f"not a number of full-time months: {text!r}"
    return float(found.group(1).replace(" ", "").replace(",", "."))


def read_follow_up(supplier, step: str) -> FollowUp:
    """From the dashboard's list of the supplier's contracts to the contract's follow-up."""
    page = supplier.page
    supplier.goto(f"/{TENANT}/")
    supplier.follow(page.get_by_role("link", name=CONTRACT))
    assert page.get_by_role("heading", level=1).inner_text() == f"Uppföljning: {CONTRACT}"
    supplier.check(step)

    def fact(label: str) -> str:
        return page.locator(f'dl.facts dt:text-is("{label}") + dd').inner_text()

    status = page.get_by_role("heading", name=re.compile(r"^Status: ")).inner_text()
    forecast = page.locator("dl.facts dt", has_text=re.compile("^Uppfyll")).first
    return FollowUp(
        status=status.removeprefix("Status: ").strip(),
        delivered=months(fact("Levererat")),
        planned=months(fact("Planerat till avtalets slut")),
        forecast=forecast.locator("xpath=following-sibling::dd[1]").inner_text().strip(),
        employees=page.get_by_role("region", name="Anställningar").inner_text(),
    )


def quarter_of(day: date) -> str:
    return f"kvartal {(day.month - 1) // 3 + 1} {day.year}"


def case_funnel(analyst, step: str) -> dict[str, int]:
    """The statistics of this quarter: how far the cases opened in it came, from the table
    beside the chart (the chart itself must be there and drawn)."""
    page = analyst.page
    analyst.goto(f"/{TENANT}/")
    menu(analyst, "Statistik")
    page.get_by_label("Period", exact=True).select_option(label=quarter_of(date.today()))
    analyst.follow(page.get_by_role("button", name="Visa"))
    caption = f"Ärenden öppnade under perioden: hur långt de kom, {quarter_of(date.today())}"
    chart = page.locator("figure.chart").filter(has_text=caption)
    assert chart.locator("svg").is_visible()
    analyst.check(step)
    rows = chart.locator("table tbody tr")
    return {
        rows.nth(i).locator("th, td").first.inner_text().strip(): int(
            rows.nth(i).locator("td").last.inner_text().strip()
        )
        for i in range(rows.count())
    }


def test_from_registration_to_a_hire_that_moves_the_follow_up_and_the_statistics(visit):
    """Issue 13's journey to its end: registration, a vacancy, a pseudonymised request, consent
    asked and recorded, the name shown to the supplier, interview, offer, the hire through the
    hire form; the contract's follow-up plans twelve more full-time months and turns from at risk
    to on track, and the analyst's chart of this quarter's cases counts one more hired."""
    tag = uuid.uuid4().hex[:6].upper()
    seeker = JobSeeker(f"AME-WEB-{tag}", f"Sanna Webbtest {tag}")
    title = f"Svetsare till parkförvaltningen {tag}"
    today = date.today()
    analyst = visit(ANALYST)
    funnel_before = case_funnel(analyst, "statistics before")
    supplier = visit(SUPPLIER)
    before = read_follow_up(supplier, "follow-up before the hire")
    assert before.status == "Risk"
    assert before.planned < 24

    coordinator = visit(COORDINATOR)
    register_job_seeker(coordinator, seeker)

    post_vacancy(supplier, title, today)
    pseudonym = request_match(supplier, seeker)
    open_case(supplier, title)
    assert pseudonym in supplier.page.locator("h1").inner_text()
    assert seeker.name not in supplier.page.content(), "the name before consent"

    open_case(coordinator, title)
    assert coordinator.page.locator("h1").inner_text() == f"{seeker.name} – {title}"
    move_case(coordinator, "Fråga om samtycke")

    def consent(page) -> None:
        page.get_by_label("Datum för svaret").fill(today.isoformat())  # not in the future
        page.get_by_label("Hur svaret kom").select_option(index=1)

    move_case(coordinator, "Registrera samtycke", consent)
    assert "Samtycke givet" in coordinator.page.locator("main").inner_text()
    coordinator.check("consent recorded")

    supplier.goto(f"/{TENANT}/")
    open_case(supplier, title)
    shown = supplier.page.locator("dl.details").inner_text()
    assert seeker.name in shown, "the supplier does not see the name after consent"
    assert f"{seeker.reference.lower()}@example.se" in shown
    interview_on = (today + timedelta(days=7)).isoformat()
    move_case(
        supplier,
        "Boka intervju",
        lambda page: page.get_by_label("Intervjudatum").fill(interview_on),
    )
    move_case(supplier, "Erbjud anställning")
    assert "Erbjuden anställning" in supplier.page.locator("main").inner_text()
    supplier.check("employment offered")

    record_hire(supplier, seeker, title, today)

    after = read_follow_up(supplier, "follow-up after the hire")
    assert seeker.name in after.employees
    assert after.planned == pytest.approx(before.planned + HIRED_MONTHS, abs=0.05)
    # the employment starts today: its first day is delivered (a thirtieth of a month), and the
    # page rounds to a tenth
    assert round(after.delivered - before.delivered, 1) in (0.0, 0.1)
    assert after.status == "Enligt plan"
    assert before.forecast.startswith("inte inom avtalstiden")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", after.forecast), after.forecast

    funnel_after = case_funnel(analyst, "statistics after the hire")
    assert funnel_after["Anställd"] == funnel_before["Anställd"] + 1
    assert funnel_after["Erbjuden anställning"] == funnel_before["Erbjuden anställning"] + 1


def record_hire(supplier, seeker: JobSeeker, title: str, today: date) -> None:
    """The hire form, reached from the offered case, as the vacancy's terms fill it in."""
    page = supplier.page
    supplier.follow(page.get_by_role("link", name="Registrera anställning"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Registrera anställning – {seeker.name}"
    )
    supplier.check("hire form")
    assert page.get_by_label("Första anställningsdag").input_value() == today.isoformat()
    last_day = add_months(today, HIRED_MONTHS) - timedelta(days=1)
    assert page.get_by_label("Sista dag enligt avtalet").input_value() == last_day.isoformat()
    assert page.get_by_label("Timmar per vecka").input_value() == "40"
    supplier.follow(page.get_by_role("button", name="Registrera anställningen"))
    main = page.locator("main").inner_text()
    assert "Anställningen är registrerad." in main
    assert seeker.name in main
    assert title in main
    supplier.check("hire recorded")


def test_analyst_sees_the_statistics_chart(visit):
    analyst = visit("analyst@goteborg.example")
    page = analyst.page
    analyst.follow(
        page.get_by_role("navigation", name="Meny").get_by_role("link", name="Statistik")
    )
    charts = page.locator("figure.chart")
    assert charts.count() >= 1
    first = charts.first
    assert first.locator("svg").is_visible()
    assert first.locator("figcaption").inner_text().strip()
    assert first.locator("table tbody tr").count() >= 1  # the same figures as a table
    analyst.check("statistics")


def focused(page) -> str:
    """The focused element as `tag#id` (or its text for a link or button)."""
    return page.evaluate(
        """() => { const e = document.activeElement;
          return e.id ? `${e.tagName.toLowerCase()}#${e.id}`
                      : `${e.tagName.toLowerCase()}:${e.textContent.trim()}`; }"""
    )


def tab_to(page, target: str, most: int = 3) -> None:
    """Press Tab until `target` (as `focused` names it) has the focus, at most `most` times."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if focused(page) == target:
            return
    raise AssertionError(f"{most} presses of Tab did not reach {target}; at {focused(page)}")


def choose_suggestion(page, field: str, label: str) -> None:
    """Arrow down the open suggestion list of `field` to `label` and take it with Enter."""
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        active = page.eval_on_selector(f"#{field}", "e => e.getAttribute('aria-activedescendant')")
        if page.eval_on_selector(f"#{active}", "e => e.textContent") == label:
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"no suggestion {label!r} for {field}")


def type_into(page, target: str, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def test_registration_form_completed_with_the_keyboard_only(visit):
    """No mouse and no scripted filling: Tab, typing, arrow keys, Space and Enter, as a person
    who cannot use a pointer would; the error summary leads back to the field that was wrong."""
    tag = uuid.uuid4().hex[:6].upper()
    coordinator = visit("coordinator@goteborg.example")  # a Göteborg place, Kortedala, below
    page = coordinator.page
    coordinator.goto("/goteborg/candidates/")
    page.keyboard.press("Tab")
    assert focused(page) == "a:Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert focused(page) == "main#main"
    tab_to(page, "a:Registrera en arbetssökande")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/candidates/new")

    tab_to(page, "a:Hoppa till innehållet", most=1)
    page.keyboard.press("Enter")
    type_into(page, "input#name", f"Tangent Test {tag}")  # the reference is left out on purpose
    tab_to(page, "button:Spara", most=40)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    coordinator.check("keyboard registration refused")
    page.keyboard.press("Tab")
    assert focused(page).startswith("a:Ärendereferens")
    page.keyboard.press("Enter")
    assert focused(page) == "input#reference"

    page.keyboard.type(f"AME-KBD-{tag}")
    tab_to(page, "input#name")
    tab_to(page, "input#phone")
    page.keyboard.type("031-123 45 67")
    type_into(page, "input#email", f"kbd-{tag.lower()}@example.se")
    tab_to(page, "select#programme")
    page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#programme", "e => e.value") != ""
    type_into(page, "textarea#skills", "svetsnin")
    page.wait_for_selector("#skills[aria-expanded=true]")
    choose_suggestion(page, "skills", "Svetsning")
    assert page.eval_on_selector("#skills", "e => e.value") == "Svetsning"
    type_into(page, "textarea#languages", "svenska B1")
    tab_to(page, "input#licences-4", most=6)  # AM, A1, A2, A, B
    page.keyboard.press("Space")
    tab_to(page, "input#place", most=12)
    page.keyboard.type("Kortedala")
    tab_to(page, "input#max_commute_km", most=2)
    page.keyboard.type("20")
    tab_to(page, "input#available_from")
    # the date field's month, day and year parts (Chromium's en-US order: conftest sets LANG)
    page.keyboard.type("01152027")
    assert page.eval_on_selector("#available_from", "e => e.value") == "2027-01-15"
    tab_to(page, "select#working_time")
    type_into(page, "textarea#notes", "Registrerad med tangentbordet.")
    tab_to(page, "input#consent")
    page.keyboard.press("Space")
    tab_to(page, "button:Spara")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith(f"Tangent Test {tag}"), page.locator("main").inner_text()
    details = page.locator("main").inner_text()
    for shown in (f"AME-KBD-{tag}", "031-123 45 67", "Svetsning", "Kortedala", "2027-01-15"):
        assert shown in details
    coordinator.check("keyboard registration saved")
    # the saved row, as the list of job seekers finds it
    coordinator.goto(f"/goteborg/candidates/?q=AME-KBD-{tag}")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    cells = [cell.strip() for cell in rows.locator("td").all_inner_texts()]
    assert cells[:2] == [f"AME-KBD-{tag}", f"Tangent Test {tag}"]
    assert cells[3:] == ["aktiv", "ja"]  # status and consent
